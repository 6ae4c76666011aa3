"""Failed calls raise typed errors that carry the code, message and the
fields the server rejected."""

from __future__ import annotations

import unittest

import grpc

import rollcall
from server_process import ServerTestCase


class ServerErrorTest(ServerTestCase):
    def test_missing_statement_raises_not_found(self) -> None:
        with self.assertRaises(rollcall.NotFound) as raised:
            self.client.get_statement("doesnotexist")
        error = raised.exception
        self.assertIsInstance(error, rollcall.RollcallError)
        self.assertEqual(error.code, grpc.StatusCode.NOT_FOUND)
        self.assertIn("statements/doesnotexist", error.message)

    def test_missing_field_raises_invalid_argument_naming_it(self) -> None:
        with self.assertRaises(rollcall.InvalidArgument) as raised:
            self.client.add_statement(event=self.new_event(), actor="ecowas",
                                      quote="no stance", issue_time="2023-07-26")
        error = raised.exception
        self.assertEqual(error.code, grpc.StatusCode.INVALID_ARGUMENT)
        self.assertEqual(error.fields, ["statement.stance"])
        field, description = error.field_violations[0]
        self.assertIn("is required", description)
        self.assertTrue(error.message.startswith("statement.stance:"))
        self.assertEqual(len(error.details), 1)

    def test_malformed_filter_raises_invalid_argument_naming_filter(self) -> None:
        with self.assertRaises(rollcall.InvalidArgument) as raised:
            list(self.client.list_statements("stance ="))
        self.assertEqual(raised.exception.fields, ["filter"])

    def test_malformed_name_names_the_name_field(self) -> None:
        with self.assertRaises(rollcall.InvalidArgument) as raised:
            self.client.get_actor("actors/Not A Slug")
        self.assertEqual(raised.exception.fields, ["name"])

    def test_statement_about_unknown_event_raises_failed_precondition(self) -> None:
        with self.assertRaises(rollcall.FailedPrecondition):
            self.client.add_statement(event="no-such-event", actor="ecowas",
                                      stance="condemns", quote="q", issue_time="2023-07-26")

    def test_taken_actor_id_raises_already_exists(self) -> None:
        with self.assertRaises(rollcall.AlreadyExists):
            self.client.add_actor("ecowas", display_name="ECOWAS again", kind="regional-bloc")

    def test_unknown_enum_name_is_rejected_before_the_call(self) -> None:
        with self.assertRaisesRegex(ValueError, "expected one of: condemns, criticises"):
            self.client.add_statement(event="e", actor="a", stance="furious")


class StatusDetailsTest(unittest.TestCase):
    def test_a_resource_info_detail_names_the_existing_resource(self) -> None:
        from google.rpc import error_details_pb2, status_pb2

        from rollcall.errors import from_status

        status = status_pb2.Status(code=grpc.StatusCode.ALREADY_EXISTS.value[0], message="dup")
        status.details.add().Pack(error_details_pb2.ResourceInfo(
            resource_type="type.googleapis.com/rollcall.v1.Statement",
            resource_name="statements/abc"))
        error = from_status(status)
        self.assertIsInstance(error, rollcall.AlreadyExists)
        self.assertEqual(error.resource_name, "statements/abc")
        self.assertEqual(error.existing, "statements/abc")
        self.assertEqual(error.field_violations, [])

    def test_without_a_resource_info_detail_the_resource_name_is_none(self) -> None:
        from google.rpc import status_pb2

        from rollcall.errors import from_status

        error = from_status(status_pb2.Status(code=grpc.StatusCode.ALREADY_EXISTS.value[0]))
        self.assertIsInstance(error, rollcall.AlreadyExists)
        self.assertIsNone(error.resource_name)
        self.assertIsNone(error.resource_info)


class UnreachableServerTest(unittest.TestCase):
    def test_no_server_raises_unavailable(self) -> None:
        with rollcall.Client("127.0.0.1:1", timeout=5) as client:
            with self.assertRaises(rollcall.Unavailable) as raised:
                client.get_actor("ecowas")
        self.assertEqual(raised.exception.code, grpc.StatusCode.UNAVAILABLE)
        self.assertEqual(raised.exception.field_violations, [])


if __name__ == "__main__":
    unittest.main()
