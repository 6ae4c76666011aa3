"""The gRPC channel to rollcalld: plaintext or TLS, and the auth metadata."""

from __future__ import annotations

import dataclasses
import pathlib
from typing import Sequence

import grpc

ChannelOptions = Sequence[tuple[str, int | str]]
Metadata = tuple[tuple[str, str], ...]
Interceptor = (
    grpc.UnaryUnaryClientInterceptor
    | grpc.UnaryStreamClientInterceptor
    | grpc.StreamUnaryClientInterceptor
    | grpc.StreamStreamClientInterceptor
)

# The channel reconnects after a broken connection with backoff starting at
# 0.1 s and growing to 0.75 s, each delay jittered by +-20% (gRPC's defaults
# are 1 s and 120 s), so that a subscription resumes within about a second
# of a server's return however long it was down, while a server that stays
# down sees one connection attempt per client every 0.75 s. The connect
# timeout (grpc.min_reconnect_backoff_ms, 20 s) stays gRPC's: a TLS handshake
# on a loaded machine can take longer than any backoff.
_DEFAULT_OPTIONS: ChannelOptions = (
    ("grpc.initial_reconnect_backoff_ms", 100),
    ("grpc.max_reconnect_backoff_ms", 750),
)

PathLike = str | pathlib.Path


@dataclasses.dataclass(frozen=True)
class TLSConfig:
    """How to connect with TLS.

    With every field None the server is verified against the system's root
    certificates. ``certificate_chain`` and ``private_key`` (PEM, both or
    neither) authenticate the client (mutual TLS).
    """

    root_certificates: bytes | None = None
    certificate_chain: bytes | None = None
    private_key: bytes | None = None

    def __post_init__(self) -> None:
        if (self.certificate_chain is None) != (self.private_key is None):
            raise ValueError("certificate_chain and private_key go together")

    @classmethod
    def from_files(
        cls,
        root_certificates: PathLike | None = None,
        certificate_chain: PathLike | None = None,
        private_key: PathLike | None = None,
    ) -> TLSConfig:
        """Reads the PEM files that are given."""

        def read(path: PathLike | None) -> bytes | None:
            return pathlib.Path(path).read_bytes() if path is not None else None

        return cls(read(root_certificates), read(certificate_chain), read(private_key))

    def credentials(self) -> grpc.ChannelCredentials:
        """The gRPC channel credentials for this configuration."""
        return grpc.ssl_channel_credentials(
            self.root_certificates, self.private_key, self.certificate_chain
        )


def open_channel(
    target: str,
    tls: TLSConfig | None,
    options: ChannelOptions = (),
    interceptors: Sequence[Interceptor] = (),
) -> grpc.Channel:
    """Opens a channel to ``target`` (host:port); plaintext if ``tls`` is
    None. ``options`` are gRPC channel arguments that override the
    defaults; ``interceptors`` see every call (logging, metrics, ...)."""
    overridden = {key for key, _ in options}
    merged = [o for o in _DEFAULT_OPTIONS if o[0] not in overridden] + list(options)
    if tls is None:
        channel = grpc.insecure_channel(target, options=merged)
    else:
        channel = grpc.secure_channel(target, tls.credentials(), options=merged)
    return grpc.intercept_channel(channel, *interceptors) if interceptors else channel


def auth_metadata(token: str | None) -> Metadata:
    """The metadata that carries ``token`` (none without one)."""
    return (("authorization", f"Bearer {token}"),) if token else ()
