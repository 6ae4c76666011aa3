"""The token and TLS settings reach the wire: checked against an in-process
gRPC server (rollcalld itself serves plaintext and ignores tokens for now)."""

from __future__ import annotations

import concurrent.futures
import pathlib
import shutil
import subprocess
import tempfile
import unittest

import grpc

import rollcall
from rollcall.v1 import actor_pb2, actor_service_pb2_grpc


class RecordingActorService(actor_service_pb2_grpc.ActorServiceServicer):
    """Answers GetActor and remembers the metadata of each call."""

    def __init__(self) -> None:
        self.metadata: list[dict[str, str]] = []

    def GetActor(self, request, context):
        self.metadata.append(dict(context.invocation_metadata()))
        return actor_pb2.Actor(name=request.name, display_name="ECOWAS")


def make_certificate(directory: pathlib.Path) -> tuple[bytes, bytes]:
    """Returns a self-signed (certificate, key) for localhost, in PEM."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost",
         "-keyout", str(directory / "key.pem"), "-out", str(directory / "cert.pem")],
        check=True, capture_output=True,
    )
    return (directory / "cert.pem").read_bytes(), (directory / "key.pem").read_bytes()


class ChannelTest(unittest.TestCase):
    def start_server(self, credentials: grpc.ServerCredentials | None) -> str:
        """Serves a RecordingActorService; returns its target."""
        self.service = RecordingActorService()
        server = grpc.server(concurrent.futures.ThreadPoolExecutor(max_workers=2))
        actor_service_pb2_grpc.add_ActorServiceServicer_to_server(self.service, server)
        if credentials is None:
            port = server.add_insecure_port("localhost:0")
        else:
            port = server.add_secure_port("localhost:0", credentials)
        server.start()
        self.addCleanup(server.stop, None)
        return f"localhost:{port}"

    def certificate(self) -> tuple[bytes, bytes]:
        if shutil.which("openssl") is None:
            self.skipTest("openssl is not installed")
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        return make_certificate(pathlib.Path(directory.name))

    def test_token_is_sent_as_bearer_authorization(self) -> None:
        target = self.start_server(None)
        with rollcall.Client(target, token="s3cret") as client:
            self.assertEqual(client.get_actor("ecowas").name, "actors/ecowas")
        self.assertEqual(self.service.metadata[0]["authorization"], "Bearer s3cret")

    def test_no_token_sends_no_authorization(self) -> None:
        target = self.start_server(None)
        with rollcall.Client(target) as client:
            client.get_actor("ecowas")
        self.assertNotIn("authorization", self.service.metadata[0])

    def test_tls_verifies_the_server_with_the_given_root(self) -> None:
        cert, key = self.certificate()
        target = self.start_server(grpc.ssl_server_credentials([(key, cert)]))
        tls = rollcall.TLSConfig(root_certificates=cert)
        with rollcall.Client(target, token="t", tls=tls) as client:
            self.assertEqual(client.get_actor("ecowas").display_name, "ECOWAS")
        self.assertEqual(self.service.metadata[0]["authorization"], "Bearer t")
        with rollcall.Client(target, timeout=5) as plaintext:
            with self.assertRaises(rollcall.Unavailable):
                plaintext.get_actor("ecowas")

    def test_mutual_tls_presents_the_client_certificate(self) -> None:
        cert, key = self.certificate()
        credentials = grpc.ssl_server_credentials(
            [(key, cert)], root_certificates=cert, require_client_auth=True
        )
        target = self.start_server(credentials)
        directory = pathlib.Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, directory)
        (directory / "cert.pem").write_bytes(cert)
        (directory / "key.pem").write_bytes(key)
        mutual = rollcall.TLSConfig.from_files(
            root_certificates=directory / "cert.pem",
            certificate_chain=directory / "cert.pem",
            private_key=directory / "key.pem",
        )
        with rollcall.Client(target, tls=mutual) as client:
            self.assertEqual(client.get_actor("ecowas").name, "actors/ecowas")
        server_only = rollcall.TLSConfig(root_certificates=cert)
        with rollcall.Client(target, tls=server_only, timeout=5) as client:
            with self.assertRaises(rollcall.Unavailable):
                client.get_actor("ecowas")

    def test_client_certificate_needs_its_key(self) -> None:
        with self.assertRaises(ValueError):
            rollcall.TLSConfig(certificate_chain=b"cert")


if __name__ == "__main__":
    unittest.main()
