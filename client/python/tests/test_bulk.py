"""Bulk writes on a real server: add_statements (BatchCreateStatements, all
or none) and ingest (the IngestStatements stream, one result per item)."""

from __future__ import annotations

import datetime
import itertools
import unittest

import grpc

import rollcall
from rollcall.v1 import statement_pb2
from server_process import ServerTestCase

INGESTED = 200
BAD_ITEMS = (57, 142)  # no stance


class AddStatementsTest(ServerTestCase):
    def test_a_batch_records_every_item_in_order(self) -> None:
        event = self.new_event()
        message = statement_pb2.Statement(
            event=event, actor="actors/african-union",
            stance=statement_pb2.STANCE_CONCERNED, quote="as a message",
        )
        message.issue_time.FromJsonString("2023-07-26T10:00:00Z")
        items = [
            _fields(event, 0),
            _fields(event, 1, request_id=f"{event}:1"),
            (_fields(event, 2), f"{event}:2"),
            (message, f"{event}:3"),
            (message, None, True),  # the same statement again, deliberately
        ]
        created = self.client.add_statements(items)
        self.assertEqual([s.quote for s in created],
                         ["quote 0", "quote 1", "quote 2", "as a message", "as a message"])
        self.assertEqual(len({s.name for s in created}), 5)
        listed = self.client.list_statements(f'event = "{event}"')
        self.assertEqual(sorted(s.name for s in listed), sorted(s.name for s in created))

    def test_a_batch_with_one_bad_item_records_none_and_names_its_index(self) -> None:
        event = self.new_event()
        items = [_fields(event, i) for i in range(5)]
        del items[3]["stance"]
        with self.assertRaises(rollcall.InvalidArgument) as raised:
            self.client.add_statements(items)
        self.assertEqual(raised.exception.fields, ["requests[3].statement.stance"])
        self.assertEqual(list(self.client.list_statements(f'event = "{event}"')), [])

    def test_an_item_of_another_type_is_a_type_error_before_any_call(self) -> None:
        with self.assertRaises(TypeError):
            self.client.add_statements(["not a statement"])
        with self.assertRaises(TypeError):
            self.client.add_statements([(_fields("e", 0), None, True, "extra")])

    def test_a_near_duplicate_item_fails_the_batch_naming_the_existing_statement(self) -> None:
        event = self.new_event()
        (stored,) = self.client.add_statements([_fields(event, 0, quote=NEAR_DUPLICATE[0])])
        items = [_fields(event, 1), _fields(event, 2, quote=NEAR_DUPLICATE[1])]
        with self.assertRaises(rollcall.AlreadyExists) as raised:
            self.client.add_statements(items)
        error = raised.exception
        self.assertEqual(error.code, grpc.StatusCode.ALREADY_EXISTS)
        self.assertEqual(error.resource_name, stored.name)
        self.assertTrue(error.message.startswith("requests[1].statement.quote: near-identical"),
                        error.message)
        self.assertEqual(len(list(self.client.list_statements(f'event = "{event}"'))), 1)

    def test_allow_duplicate_in_an_item_records_the_near_duplicate(self) -> None:
        event = self.new_event()
        (stored,) = self.client.add_statements([_fields(event, 0, quote=NEAR_DUPLICATE[0])])
        created = self.client.add_statements([
            _fields(event, 1, quote=NEAR_DUPLICATE[1], allow_duplicate=True),
            (_fields(event, 2, quote=NEAR_DUPLICATE[0]), f"{event}:2", True),
        ])
        self.assertEqual([s.quote for s in created], [NEAR_DUPLICATE[1], NEAR_DUPLICATE[0]])
        self.assertEqual(len({stored.name, *(s.name for s in created)}), 3)
        self.assertEqual(len(list(self.client.list_statements(f'event = "{event}"'))), 3)


class IngestTest(ServerTestCase):
    def test_ingest_answers_every_item_in_order_and_skips_only_the_bad_ones(self) -> None:
        event = self.new_event()
        results = list(self.client.ingest(_feed(event)))

        self.assertEqual([r.index for r in results], list(range(INGESTED)))
        failed = [r for r in results if not r.ok]
        self.assertEqual([r.index for r in failed], list(BAD_ITEMS))
        for result in failed:
            self.assertIsNone(result.statement)
            self.assertIsInstance(result.error, rollcall.InvalidArgument)
            self.assertEqual(result.error.code, grpc.StatusCode.INVALID_ARGUMENT)
            self.assertEqual(result.error.fields, ["request.statement.stance"])
        recorded = [r.statement for r in results if r.ok]
        self.assertEqual(len(recorded), INGESTED - len(BAD_ITEMS))
        self.assertEqual([s.quote for s in recorded],
                         [f"quote {i}" for i in range(INGESTED) if i not in BAD_ITEMS])

        listed = list(self.client.list_statements(f'event = "{event}"', page_size=1000))
        self.assertEqual(sorted(s.name for s in listed), sorted(s.name for s in recorded))

    def test_ingest_sent_again_with_the_same_request_ids_records_nothing_new(self) -> None:
        event = self.new_event()
        first = list(self.client.ingest(_feed(event)))
        again = list(self.client.ingest(_feed(event)))
        self.assertEqual([r.statement.name if r.ok else None for r in again],
                         [r.statement.name if r.ok else None for r in first])
        self.assertEqual([r.index for r in again if not r.ok], list(BAD_ITEMS))
        listed = list(self.client.list_statements(f'event = "{event}"', page_size=1000))
        self.assertEqual(len(listed), INGESTED - len(BAD_ITEMS))

    def test_ingest_reads_its_input_as_it_goes_until_closed(self) -> None:
        event = self.new_event()
        pulled = []

        def long_feed():
            for i in range(100_000):
                pulled.append(i)
                yield _fields(event, i)

        ingestion = self.client.ingest(long_feed())
        self.assertEqual(pulled, [])  # nothing is read before iteration
        with ingestion:
            first = list(itertools.islice(ingestion, 3))
        self.assertEqual([r.index for r in first], [0, 1, 2])
        self.assertEqual(list(ingestion), [])  # closed
        # Writes wait for flow control: the input was not read to its end.
        self.assertLess(len(pulled), 100_000)

    def test_a_near_duplicate_item_fails_alone_naming_the_existing_statement(self) -> None:
        event = self.new_event()
        items = [
            _fields(event, 0, quote=NEAR_DUPLICATE[0]),
            _fields(event, 1, quote=NEAR_DUPLICATE[1]),
            (_fields(event, 2, quote=NEAR_DUPLICATE[1]), None, True),
            _fields(event, 3),
        ]
        results = list(self.client.ingest(items))
        self.assertEqual([r.ok for r in results], [True, False, True, True])
        error = results[1].error
        self.assertIsInstance(error, rollcall.AlreadyExists)
        self.assertEqual(error.resource_name, results[0].statement.name)
        self.assertEqual(error.existing, results[0].statement.name)
        self.assertIn("statement.quote: near-identical", error.message)
        listed = list(self.client.list_statements(f'event = "{event}"'))
        self.assertEqual(len(listed), 3)

    def test_an_input_failure_is_raised_after_the_results_before_it(self) -> None:
        event = self.new_event()
        items = [_fields(event, 0), _fields(event, 1), {"no_such_field": 1}, _fields(event, 3)]
        results = []
        with self.assertRaises(TypeError):
            for result in self.client.ingest(items):
                results.append(result)
        self.assertEqual([r.index for r in results], [0, 1])
        self.assertTrue(all(r.ok for r in results))
        listed = list(self.client.list_statements(f'event = "{event}"'))
        self.assertEqual(len(listed), 2)


# Two quotes with the same words (case and punctuation differ): similarity 1.
NEAR_DUPLICATE = (
    "ECOWAS firmly condemns the attempted coup d'état in Niger",
    "Ecowas firmly condemns the attempted coup d'etat in Niger!",
)


def _fields(event: str, i: int, **overrides) -> dict:
    issue_time = datetime.datetime(2023, 7, 26, 10) + datetime.timedelta(seconds=i)
    fields = dict(event=event, actor="ecowas", stance="condemns", quote=f"quote {i}",
                  issue_time=issue_time)
    fields.update(overrides)
    return fields


def _feed(event: str):
    """INGESTED items with request ids; BAD_ITEMS lack a stance."""
    for i in range(INGESTED):
        fields = _fields(event, i, request_id=f"{event}:ingest:{i}")
        if i in BAD_ITEMS:
            del fields["stance"]
        yield fields


if __name__ == "__main__":
    unittest.main()
