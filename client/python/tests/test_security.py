"""The client against a rollcalld serving TLS with bearer tokens: the
``token`` and ``tls`` arguments, and the errors a missing or weak token
gets. Certificates are made with openssl at test time."""

from __future__ import annotations

import pathlib
import subprocess
import tempfile
import unittest

import rollcall
from server_process import start_server

READER_TOKEN = "reader-token-0123456789"
WRITER_TOKEN = "writer-token-0123456789"
ADMIN_TOKEN = "admin-token-0123456789"


def make_certificates(directory: pathlib.Path) -> None:
    """Writes ca.pem, server.pem/.key (localhost, 127.0.0.1) and
    client.pem/.key, signed by the CA."""
    new_key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=directory, check=True, capture_output=True)

    openssl("req", "-x509", *new_key, "-keyout", "ca.key", "-out", "ca.pem", "-days", "1",
            "-subj", "/CN=Rollcall Test CA")
    for name, subject, extensions in (
        ("server", "/CN=localhost",
         "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"),
        ("client", "/CN=newsroom", "extendedKeyUsage=clientAuth\n"),
    ):
        (directory / f"{name}.ext").write_text(extensions)
        openssl("req", *new_key, "-keyout", f"{name}.key", "-out", f"{name}.csr",
                "-subj", subject)
        openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-days", "1", "-out", f"{name}.pem",
                "-extfile", f"{name}.ext")


class SecurityTestCase(unittest.TestCase):
    """One server per class, serving TLS (mutual TLS if ``MUTUAL``) with a
    reader, a writer and an admin token."""

    MUTUAL = False

    @classmethod
    def setUpClass(cls) -> None:
        certificates = tempfile.TemporaryDirectory(prefix="rollcall-python-tls-")
        cls.addClassCleanup(certificates.cleanup)
        cls.dir = pathlib.Path(certificates.name)
        make_certificates(cls.dir)
        tokens = cls.dir / "tokens"
        tokens.write_text(
            f"analyst reader {READER_TOKEN}\n"
            f"newsroom writer {WRITER_TOKEN}\n"
            f"operator admin {ADMIN_TOKEN}\n"
        )
        args = [f"--tokens_file={tokens}", f"--tls_cert={cls.dir / 'server.pem'}",
                f"--tls_key={cls.dir / 'server.key'}"]
        if cls.MUTUAL:
            args.append(f"--tls_client_ca={cls.dir / 'ca.pem'}")
        cls.server = start_server(cls.addClassCleanup, args)

    def client(self, token: str | None, *, client_certificate: bool = False) -> rollcall.Client:
        tls = rollcall.TLSConfig.from_files(
            root_certificates=self.dir / "ca.pem",
            certificate_chain=self.dir / "client.pem" if client_certificate else None,
            private_key=self.dir / "client.key" if client_certificate else None,
        )
        client = rollcall.Client(self.server.address, token=token, tls=tls, timeout=5)
        self.addCleanup(client.close)
        return client


class TokenTest(SecurityTestCase):
    def test_each_role_may_do_what_it_allows(self) -> None:
        admin = self.client(ADMIN_TOKEN)
        admin.add_actor("ecowas", display_name="ECOWAS", kind="regional-bloc")
        event = admin.add_event("niger-coup-2023", title="Coup", start_time="2023-07-26")
        writer = self.client(WRITER_TOKEN)
        statement = writer.add_statement(
            event=event.name, actor="ecowas", stance="condemns", quote="We condemn the coup.",
            issue_time="2023-07-26T10:00:00Z",
        )
        reader = self.client(READER_TOKEN)
        self.assertEqual(reader.get_statement(statement.name).quote, "We condemn the coup.")
        with self.assertRaises(rollcall.PermissionDenied) as denied:
            reader.add_actor("benin", display_name="Benin", kind="state")
        self.assertIn("admin", str(denied.exception))
        with self.assertRaises(rollcall.PermissionDenied):
            writer.add_event("other", title="Other", start_time="2023-07-26")

    def test_missing_or_unknown_token_is_unauthenticated(self) -> None:
        with self.assertRaises(rollcall.Unauthenticated):
            list(self.client(None).list_actors())
        with self.assertRaises(rollcall.Unauthenticated) as unknown:
            list(self.client("not-a-token-of-this-server").list_actors())
        self.assertNotIn("not-a-token", str(unknown.exception))

    def test_plaintext_client_cannot_reach_a_tls_server(self) -> None:
        client = rollcall.Client(self.server.address, token=READER_TOKEN, timeout=2)
        self.addCleanup(client.close)
        with self.assertRaises((rollcall.Unavailable, rollcall.DeadlineExceeded)):
            list(client.list_actors())


class MutualTlsTest(SecurityTestCase):
    MUTUAL = True

    def test_client_certificate_is_required(self) -> None:
        listed = list(self.client(READER_TOKEN, client_certificate=True).list_actors())
        self.assertEqual(listed, [])
        with self.assertRaises((rollcall.Unavailable, rollcall.DeadlineExceeded)):
            list(self.client(READER_TOKEN).list_actors())


if __name__ == "__main__":
    unittest.main()
