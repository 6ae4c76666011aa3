"""Typed errors: every failed call raises a subclass of RollcallError.

The server names the offending field of a validation error twice: at the
start of the message (``statement.stance: is required``) and as a
``google.rpc.BadRequest`` field violation in the ``grpc-status-details-bin``
trailer. Both are exposed here, the latter as ``field_violations``.

An error about an existing resource (ALREADY_EXISTS for a near-duplicate
statement) also carries a ``google.rpc.ResourceInfo`` detail naming it,
exposed as ``resource_info`` and ``resource_name``.
"""

from __future__ import annotations

from typing import Sequence

import grpc
from google.protobuf import any_pb2
from google.protobuf.message import DecodeError
from google.rpc import error_details_pb2, status_pb2

_STATUS_DETAILS_KEY = "grpc-status-details-bin"


class RollcallError(Exception):
    """A call to rollcalld failed.

    Attributes:
        code: the canonical gRPC status code.
        message: the server's message, which starts with the field path for
            validation errors.
        details: the ``google.protobuf.Any`` details of the rich status
            (empty if the server sent none).
        field_violations: ``(field, description)`` pairs from a
            ``google.rpc.BadRequest`` detail, e.g.
            ``[("statement.stance", "statement.stance: is required: ...")]``.
        resource_info: the first ``google.rpc.ResourceInfo`` detail (the
            existing resource the request conflicts with), or None.
    """

    def __init__(
        self,
        code: grpc.StatusCode,
        message: str,
        details: Sequence[any_pb2.Any] = (),
        field_violations: Sequence[tuple[str, str]] = (),
    ) -> None:
        super().__init__(f"{code.name}: {message}")
        self.code = code
        self.message = message
        self.details: list[any_pb2.Any] = list(details)
        self.field_violations: list[tuple[str, str]] = list(field_violations)
        self.resource_info: error_details_pb2.ResourceInfo | None = _resource_info(self.details)

    @property
    def fields(self) -> list[str]:
        """The paths of the fields the server rejected, in its order."""
        return [field for field, _ in self.field_violations]

    @property
    def resource_name(self) -> str | None:
        """The name of the resource the request conflicts with, from the
        ResourceInfo detail (e.g. ``"statements/s4rgfkwjxna37sz4"``), or
        None without one."""
        return self.resource_info.resource_name if self.resource_info else None

    @property
    def reconnect_now(self) -> bool:
        """True if the server asked for an immediate reconnection: a
        ``google.rpc.RetryInfo`` detail with a zero ``retry_delay``, sent
        with UNAVAILABLE when a server shuts down gracefully and ends its
        subscriptions."""
        for detail in self.details:
            retry = error_details_pb2.RetryInfo()
            try:
                if detail.Unpack(retry):
                    return retry.retry_delay.ToNanoseconds() == 0
            except DecodeError:  # must not hide the error itself
                continue
        return False


class InvalidArgument(RollcallError):
    """A malformed field, name, filter or page token (INVALID_ARGUMENT)."""


class NotFound(RollcallError):
    """The named actor, event or statement does not exist (NOT_FOUND)."""


class AlreadyExists(RollcallError):
    """The actor_id or event_id is taken, or the statement is a near-duplicate
    of an active one: same actor and event, issued within 24 hours, quote
    near-identical (ALREADY_EXISTS). For a duplicate statement,
    ``resource_name`` (also ``existing``) is the existing statement's name,
    e.g. ``"statements/s4rgfkwjxna37sz4"``; pass ``allow_duplicate=True`` to
    record it anyway."""

    @property
    def existing(self) -> str | None:
        """The existing resource's name (``resource_name``), or None."""
        return self.resource_name


class FailedPrecondition(RollcallError):
    """The request refers to a missing actor or event, or the statement is
    retracted (FAILED_PRECONDITION)."""


class Aborted(RollcallError):
    """The etag sent is not the current one: someone changed the resource
    since it was read. Get it again and retry (ABORTED)."""


class OutOfRange(RollcallError):
    """A subscription resume point is beyond the head of the log
    (OUT_OF_RANGE)."""


class Unavailable(RollcallError):
    """The server cannot be reached or is shutting down (UNAVAILABLE)."""


class DeadlineExceeded(RollcallError):
    """The call did not finish within its timeout (DEADLINE_EXCEEDED)."""


class PermissionDenied(RollcallError):
    """The caller may not do this (PERMISSION_DENIED)."""


class Unauthenticated(RollcallError):
    """The token is missing or invalid (UNAUTHENTICATED)."""


class Cancelled(RollcallError):
    """The call was cancelled, usually by the client (CANCELLED)."""


class Internal(RollcallError):
    """The server failed (INTERNAL)."""


_ERROR_CLASSES: dict[grpc.StatusCode, type[RollcallError]] = {
    grpc.StatusCode.INVALID_ARGUMENT: InvalidArgument,
    grpc.StatusCode.NOT_FOUND: NotFound,
    grpc.StatusCode.ALREADY_EXISTS: AlreadyExists,
    grpc.StatusCode.FAILED_PRECONDITION: FailedPrecondition,
    grpc.StatusCode.ABORTED: Aborted,
    grpc.StatusCode.OUT_OF_RANGE: OutOfRange,
    grpc.StatusCode.UNAVAILABLE: Unavailable,
    grpc.StatusCode.DEADLINE_EXCEEDED: DeadlineExceeded,
    grpc.StatusCode.PERMISSION_DENIED: PermissionDenied,
    grpc.StatusCode.UNAUTHENTICATED: Unauthenticated,
    grpc.StatusCode.CANCELLED: Cancelled,
    grpc.StatusCode.INTERNAL: Internal,
}

# google.rpc.Status carries the code as a number.
_CODES_BY_NUMBER = {code.value[0]: code for code in grpc.StatusCode}


def from_rpc_error(error: grpc.RpcError) -> RollcallError:
    """Converts a failed gRPC call into the matching RollcallError subclass
    (RollcallError itself for codes without one)."""
    code = error.code() if isinstance(error, grpc.Call) else None
    if code is None:
        return RollcallError(grpc.StatusCode.UNKNOWN, str(error))
    message = error.details() or ""
    status = _rich_status(error.trailing_metadata())
    details = list(status.details) if status else []
    error_class = _ERROR_CLASSES.get(code, RollcallError)
    return error_class(code, message, details, _field_violations(details))


def from_status(status: status_pb2.Status) -> RollcallError:
    """Converts a google.rpc.Status sent as data (e.g. the error of one
    IngestStatements item) into the matching RollcallError subclass."""
    code = _CODES_BY_NUMBER.get(status.code, grpc.StatusCode.UNKNOWN)
    details = list(status.details)
    error_class = _ERROR_CLASSES.get(code, RollcallError)
    return error_class(code, status.message, details, _field_violations(details))


def _rich_status(
    metadata: Sequence[tuple[str, bytes]] | None,
) -> status_pb2.Status | None:
    """Returns the google.rpc.Status from the trailers, if the server sent
    one that parses."""
    for key, value in metadata or ():
        if key == _STATUS_DETAILS_KEY:
            try:
                return status_pb2.Status.FromString(value)
            except DecodeError:  # must not hide the error itself
                return None
    return None


def _field_violations(details: Sequence[any_pb2.Any]) -> list[tuple[str, str]]:
    """Collects the field violations of every BadRequest detail."""
    violations: list[tuple[str, str]] = []
    for detail in details:
        bad_request = error_details_pb2.BadRequest()
        if detail.Unpack(bad_request):
            violations.extend(
                (v.field, v.description) for v in bad_request.field_violations
            )
    return violations


def _resource_info(details: Sequence[any_pb2.Any]) -> error_details_pb2.ResourceInfo | None:
    """The first ResourceInfo detail, if any parses."""
    for detail in details:
        info = error_details_pb2.ResourceInfo()
        try:
            if detail.Unpack(info):
                return info
        except DecodeError:  # must not hide the error itself
            continue
    return None
