"""Recording, listing, correcting and retracting statements on a real server."""

from __future__ import annotations

import datetime
import unittest

import grpc

import rollcall
from rollcall.v1 import statement_pb2
from server_process import ServerTestCase


class PageCounter(grpc.UnaryUnaryClientInterceptor):
    """Counts the ListStatements calls a client makes."""

    def __init__(self) -> None:
        self.calls = 0

    def intercept_unary_unary(self, continuation, client_call_details, request):
        if client_call_details.method.endswith("/ListStatements"):
            self.calls += 1
        return continuation(client_call_details, request)


class StatementTest(ServerTestCase):
    def test_add_statement_from_keyword_fields_fills_names_enums_and_times(self) -> None:
        event = self.new_event()
        statement = self.client.add_statement(
            event=event.removeprefix("events/"),
            actor="ecowas",
            stance="condemns",
            quote="ECOWAS firmly condemns the attempted coup",
            issue_time=datetime.date(2023, 7, 26),
            actions=[{"kind": "demand-release", "targets": ["african-union"]}],
            labels={"batch": "test"},
        )
        self.assertTrue(statement.name.startswith("statements/"))
        self.assertEqual(statement.event, event)
        self.assertEqual(statement.actor, "actors/ecowas")
        self.assertEqual(statement.stance, statement_pb2.STANCE_CONDEMNS)
        self.assertEqual(statement.actions[0].kind, statement_pb2.ACTION_KIND_DEMAND_RELEASE)
        self.assertEqual(list(statement.actions[0].targets), ["actors/african-union"])
        self.assertEqual(
            statement.issue_time.ToDatetime(), datetime.datetime(2023, 7, 26, 0, 0)
        )
        self.assertEqual(statement.revision, 1)
        self.assertEqual(self.client.get_statement(statement.name), statement)

    def test_add_statement_accepts_a_message(self) -> None:
        event = self.new_event()
        message = statement_pb2.Statement(
            event=event,
            actor="actors/african-union",
            stance=statement_pb2.STANCE_CONCERNED,
            summary="The AU calls for restraint.",
        )
        message.issue_time.FromJsonString("2023-07-27T08:30:00Z")
        statement = self.client.add_statement(message)
        self.assertEqual(statement.summary, "The AU calls for restraint.")
        self.assertEqual(statement.stance, statement_pb2.STANCE_CONCERNED)

    def test_add_statement_with_same_request_id_records_it_once(self) -> None:
        event = self.new_event()
        fields = dict(event=event, actor="ecowas", stance="condemns", quote="once",
                      issue_time="2023-07-26")
        first = self.client.add_statement(request_id=f"{event}:once", **fields)
        again = self.client.add_statement(request_id=f"{event}:once", **fields)
        self.assertEqual(again.name, first.name)
        self.assertEqual(len(list(self.client.list_statements(f'event = "{event}"'))), 1)

    def test_list_statements_pages_through_every_result_once(self) -> None:
        event = self.new_event()
        added = self.add_statements(event, 25)
        counter = PageCounter()
        with rollcall.Client(self.server.address, interceptors=[counter]) as client:
            listed = list(client.list_statements(f'event = "{event}"', page_size=10))
        self.assertEqual(counter.calls, 3)
        self.assertEqual([s.name for s in listed], [s.name for s in added])

    def test_list_statements_applies_filter_and_order(self) -> None:
        event = self.new_event()
        added = self.add_statements(event, 3)
        self.client.add_statement(event=event, actor="african-union", stance="neutral",
                                  quote="no side", issue_time="2023-07-26T11:00:00Z")
        listed = self.client.list_statements(
            f'event = "{event}" AND stance = CONDEMNS', order_by="issue_time desc"
        )
        self.assertEqual([s.name for s in listed], [s.name for s in reversed(added)])

    def test_update_with_current_etag_records_a_new_revision(self) -> None:
        (statement,) = self.add_statements(self.new_event(), 1)
        updated = self.client.update_statement(
            statement.name, quote="corrected words", etag=statement.etag
        )
        self.assertEqual(updated.quote, "corrected words")
        self.assertEqual(updated.revision, 2)
        self.assertNotEqual(updated.etag, statement.etag)

    def test_update_of_a_read_message_takes_the_masked_fields(self) -> None:
        (statement,) = self.add_statements(self.new_event(), 1)
        statement.stance = statement_pb2.STANCE_CRITICISES
        statement.quote = "not in the mask"
        updated = self.client.update_statement(statement, ["stance"])
        self.assertEqual(updated.stance, statement_pb2.STANCE_CRITICISES)
        self.assertEqual(updated.quote, "statement 0")

    def test_update_with_stale_etag_raises_aborted(self) -> None:
        (statement,) = self.add_statements(self.new_event(), 1)
        self.client.update_statement(statement.name, quote="first correction")
        with self.assertRaises(rollcall.Aborted) as raised:
            self.client.update_statement(statement.name, quote="late", etag=statement.etag)
        self.assertEqual(raised.exception.code, grpc.StatusCode.ABORTED)
        self.assertIn("etag", raised.exception.message)
        statement.quote = "late"
        with self.assertRaises(rollcall.Aborted):
            self.client.update_statement(statement, ["quote"])  # carries the read etag
        self.assertEqual(self.client.get_statement(statement.name).quote, "first correction")

    def test_history_lists_every_revision_oldest_first(self) -> None:
        (statement,) = self.add_statements(self.new_event(), 1)
        self.client.update_statement(statement.name, quote="corrected")
        retracted = self.client.retract_statement(statement.name, "duplicate", etag="")
        self.assertEqual(retracted.state, statement_pb2.STATEMENT_STATE_RETRACTED)
        self.assertEqual(retracted.retraction.reason, "duplicate")

        history = list(self.client.list_statement_revisions(statement.name, page_size=2))
        self.assertEqual([s.revision for s in history], [1, 2, 3])
        self.assertEqual([s.quote for s in history],
                         ["statement 0", "corrected", "corrected"])
        self.assertEqual(
            [s.state for s in history],
            [statement_pb2.STATEMENT_STATE_ACTIVE] * 2 + [statement_pb2.STATEMENT_STATE_RETRACTED],
        )
        sequences = [s.sequence for s in history]
        self.assertEqual(sequences, sorted(sequences))

    def test_retract_with_stale_etag_raises_aborted(self) -> None:
        (statement,) = self.add_statements(self.new_event(), 1)
        self.client.update_statement(statement.name, quote="corrected")
        with self.assertRaises(rollcall.Aborted):
            self.client.retract_statement(statement.name, "wrong", etag=statement.etag)


class DuplicateStatementTest(ServerTestCase):
    """The server refuses a near-identical quote by the same actor on the
    same event within 24 hours, unless allow_duplicate is set."""

    ORIGINAL = "ECOWAS firmly condemns the attempted coup d'état in Niger"
    # The same words, with other capitals and punctuation (similarity 1).
    NEAR_DUPLICATE = "Ecowas firmly condemns the attempted coup d'etat in Niger!"

    def _add(self, event: str, quote: str, **kwargs) -> statement_pb2.Statement:
        return self.client.add_statement(event=event, actor="ecowas", stance="condemns",
                                         quote=quote, issue_time="2023-07-26T18:00:00Z",
                                         **kwargs)

    def test_a_near_duplicate_raises_already_exists_naming_the_existing_statement(self) -> None:
        event = self.new_event()
        existing = self._add(event, self.ORIGINAL)
        with self.assertRaises(rollcall.AlreadyExists) as raised:
            self._add(event, self.NEAR_DUPLICATE)
        error = raised.exception
        self.assertEqual(error.code, grpc.StatusCode.ALREADY_EXISTS)
        self.assertEqual(error.resource_name, existing.name)
        self.assertEqual(error.existing, existing.name)
        self.assertEqual(error.resource_info.resource_type,
                         "type.googleapis.com/rollcall.v1.Statement")
        self.assertTrue(error.message.startswith("statement.quote: near-identical"), error.message)
        self.assertIn(existing.name, error.message)
        listed = list(self.client.list_statements(f'event = "{event}"'))
        self.assertEqual([s.name for s in listed], [existing.name])

    def test_a_near_duplicate_with_allow_duplicate_is_recorded(self) -> None:
        event = self.new_event()
        existing = self._add(event, self.ORIGINAL)
        duplicate = self._add(event, self.NEAR_DUPLICATE, allow_duplicate=True)
        self.assertNotEqual(duplicate.name, existing.name)
        self.assertEqual(duplicate.quote, self.NEAR_DUPLICATE)
        listed = list(self.client.list_statements(f'event = "{event}"'))
        self.assertEqual(sorted(s.name for s in listed), sorted([existing.name, duplicate.name]))


class ActorAndEventTest(ServerTestCase):
    def test_add_get_and_update_an_actor(self) -> None:
        self.client.add_actor(
            "niger", display_name="Niger", kind="state", country_code="NER",
            member_of=[{"organisation": "ecowas"}],
        )
        actor = self.client.get_actor("niger")
        self.assertEqual(actor.member_of[0].organisation, "actors/ecowas")
        updated = self.client.update_actor("niger", aliases=["République du Niger"],
                                           etag=actor.etag)
        self.assertEqual(list(updated.aliases), ["République du Niger"])
        names = [a.name for a in self.client.list_actors("kind = STATE")]
        self.assertEqual(names, ["actors/niger"])

    def test_events_are_listed_most_recent_first(self) -> None:
        self.client.add_event("older", title="Older", start_time="2020-01-01")
        self.client.add_event("newer", title="Newer",
                              start_time=datetime.datetime(2024, 1, 1, 12, 0))
        names = [e.name for e in self.client.list_events(page_size=1)]
        self.assertEqual(names, ["events/newer", "events/older"])
        self.assertEqual(self.client.update_event("older", title="Old").title, "Old")


if __name__ == "__main__":
    unittest.main()


class SummaryTest(ServerTestCase):
    def test_summarize_reactions_gives_each_actor_and_the_record_as_of_a_time(self) -> None:
        event = self.new_event()
        first = self.client.add_statement(
            event=event, actor="ecowas", stance="concerned", quote="ECOWAS is concerned",
            issue_time=datetime.date(2023, 7, 26))
        before_correction = datetime.datetime.now(datetime.timezone.utc)
        self.client.update_statement(first.name, stance="condemns", etag=first.etag)

        now = self.client.summarize_reactions(event, timeline_interval=datetime.timedelta(days=1))
        self.assertEqual([r.actor for r in now.reactions], ["actors/ecowas"])
        self.assertEqual(now.reactions[0].latest_stance, statement_pb2.STANCE_CONDEMNS)
        self.assertGreater(len(now.timeline), 1)
        then = self.client.summarize_reactions(event, as_of=before_correction)
        self.assertEqual(then.reactions[0].latest_stance, statement_pb2.STANCE_CONCERNED)
        with self.assertRaises(rollcall.NotFound):
            self.client.summarize_reactions("no-such-event")
