"""The draft methods against a real rollcalld checking tokens, reading the
documents with its real extractor: extraction from a document's text or
from a page's HTML and URL, listing, review (accept with corrections,
reject), the per-call token, and a watch that carries other reviewers'
work."""

from __future__ import annotations

import pathlib
import tempfile
import threading
import unittest

import rollcall
from rollcall.v1 import draft_pb2, statement_pb2
from server_process import start_server

READER_TOKEN = "reader-token-0123456789"
WRITER_TOKEN = "writer-token-0123456789"
ADMIN_TOKEN = "admin-token-0123456789"

ECOWAS_CONDEMNS = (
    "Niamey (AFP) - ECOWAS on Wednesday condemned the coup in Niger.\n\n"
    '"We condemn in the strongest terms the attempted coup in Niger," the president of '
    "the ECOWAS Commission, Omar Touray, said in a statement.\n"
)
BENIN_CALLS_FOR_CALM = "Cotonou (AFP) - Benin on Wednesday called for calm in Niger.\n"
ECOWAS_WELCOMES_PAGE = (
    "<!doctype html><html><head><title>Mediation in Niger</title></head><body>"
    "<h1>Mediation in Niger</h1>"
    "<p>Abuja (Reuters) - ECOWAS on Wednesday welcomed the mediation led by Benin.</p>"
    "</body></html>"
)


class DraftsTest(unittest.TestCase):
    """One server per class, with a reader, a writer and an admin token; a
    client with the reader's token (``self.reader``) and one with the
    writer's (``self.writer``). Each test works on an event of its own."""

    @classmethod
    def setUpClass(cls) -> None:
        tokens_dir = tempfile.TemporaryDirectory(prefix="rollcall-python-drafts-")
        cls.addClassCleanup(tokens_dir.cleanup)
        tokens = pathlib.Path(tokens_dir.name) / "tokens"
        tokens.write_text(
            f"analyst reader {READER_TOKEN}\n"
            f"newsroom writer {WRITER_TOKEN}\n"
            f"operator admin {ADMIN_TOKEN}\n"
        )
        cls.server = start_server(cls.addClassCleanup, [f"--tokens_file={tokens}"])
        cls.reader = rollcall.Client(cls.server.address, token=READER_TOKEN)
        cls.addClassCleanup(cls.reader.close)
        cls.writer = rollcall.Client(cls.server.address, token=WRITER_TOKEN)
        cls.addClassCleanup(cls.writer.close)
        with rollcall.Client(cls.server.address, token=ADMIN_TOKEN) as admin:
            admin.add_actor("ecowas", display_name="Economic Community of West African States",
                            aliases=["ECOWAS"], kind="regional-bloc")
            admin.add_actor("benin", display_name="Benin", kind="state")
            admin.add_actor("niger", display_name="Niger", kind="state")
        cls._events = 0

    def new_event(self) -> str:
        """Creates a fresh event and returns its name."""
        type(self)._events += 1
        with rollcall.Client(self.server.address, token=ADMIN_TOKEN) as admin:
            return admin.add_event(
                f"niger-{self._events}", title=self.id(), start_time="2023-07-26"
            ).name

    def extract(self, event: str, text: str, url: str) -> draft_pb2.Draft:
        """Extracts ``text`` as published at ``url``; returns its one draft."""
        response = self.writer.extract_drafts(
            event, text=text, url=url, publisher="AFP", language="en",
            publish_time="2023-07-26T12:00:00Z",
        )
        self.assertEqual(len(response.drafts), 1, response)
        return response.drafts[0]

    def test_extracted_drafts_are_listed_and_accepted_with_corrections(self) -> None:
        event = self.new_event()
        draft = self.extract(event, ECOWAS_CONDEMNS, "https://afp.example/niger-1")
        self.assertEqual(draft.state, draft_pb2.DRAFT_STATE_PENDING)
        self.assertEqual(draft.statement.actor, "actors/ecowas")
        self.assertEqual(draft.statement.stance, statement_pb2.STANCE_CONDEMNS)
        document = self.reader.get_document(draft.evidence[0].document)
        self.assertIn("ECOWAS on Wednesday condemned", document.text)
        self.assertEqual(self.reader.get_draft(draft.name.removeprefix("drafts/")), draft)
        pending = list(self.reader.list_drafts(f'event = "{event}" AND state = PENDING',
                                               page_size=1))
        self.assertEqual([d.name for d in pending], [draft.name])
        self.assertEqual(list(self.reader.list_drafts(f'event = "{event}" AND state = accepted')),
                         [])

        # The same document again records nothing new.
        again = self.writer.extract_drafts(event, text=ECOWAS_CONDEMNS,
                                           url="https://afp.example/niger-1")
        self.assertTrue(again.already_extracted)
        self.assertEqual([d.name for d in again.drafts], [draft.name])

        # A stale etag is refused; a correction in keyword fields is recorded.
        with self.assertRaises(rollcall.Aborted):
            self.writer.accept_draft(draft.name, stance="criticises", etag="stale")
        accepted = self.writer.accept_draft(draft.name, stance="criticises", etag=draft.etag)
        self.assertEqual(accepted.draft.state, draft_pb2.DRAFT_STATE_ACCEPTED)
        self.assertEqual(accepted.statement.stance, statement_pb2.STANCE_CRITICISES)
        self.assertEqual(accepted.statement.quote, draft.statement.quote)
        recorded = self.reader.get_statement(accepted.statement.name)
        self.assertEqual(recorded.stance, statement_pb2.STANCE_CRITICISES)
        self.assertEqual(self.reader.get_draft(draft.name).statement_name, recorded.name)
        # Accepting it again returns the same statement.
        self.assertEqual(self.writer.accept_draft(draft.name).statement.name, recorded.name)

    def test_a_correction_taken_from_a_statement_by_mask(self) -> None:
        event = self.new_event()
        draft = self.extract(event, BENIN_CALLS_FOR_CALM, "https://afp.example/benin")
        corrected = statement_pb2.Statement()
        corrected.CopyFrom(draft.statement)
        corrected.summary = "Benin called for calm in Niger."
        corrected.quote = "ignored: not in the mask"
        accepted = self.writer.accept_draft(draft.name, corrected, ["summary"])
        self.assertEqual(accepted.statement.summary, "Benin called for calm in Niger.")
        self.assertEqual(accepted.statement.quote, draft.statement.quote)
        with self.assertRaises(ValueError):
            self.writer.accept_draft(draft.name, corrected)
        with self.assertRaises(TypeError):
            self.writer.accept_draft(draft.name, corrected, ["summary"], stance="supports")

    def test_a_page_is_extracted_from_its_html_and_url(self) -> None:
        event = self.new_event()
        response = self.writer.extract_drafts(
            event, html=ECOWAS_WELCOMES_PAGE, url="https://reuters.example/mediation",
            publisher="Reuters", publish_time="2023-07-26",
        )
        self.assertEqual([d.statement.actor for d in response.drafts], ["actors/ecowas"])
        self.assertEqual(response.document.url, "https://reuters.example/mediation")
        source = response.drafts[0].statement.sources[0]
        self.assertEqual(source.url, "https://reuters.example/mediation")

    def test_a_rejected_draft_cannot_be_accepted(self) -> None:
        event = self.new_event()
        draft = self.extract(event, BENIN_CALLS_FOR_CALM, "https://afp.example/benin-2")
        with self.assertRaises(rollcall.InvalidArgument) as no_reason:
            self.writer.reject_draft(draft.name, "")
        self.assertIn("reason", no_reason.exception.fields)
        rejected = self.writer.reject_draft(draft.name, "not a reaction", etag=draft.etag)
        self.assertEqual(rejected.state, draft_pb2.DRAFT_STATE_REJECTED)
        self.assertEqual(rejected.reject_reason, "not a reaction")
        with self.assertRaises(rollcall.FailedPrecondition):
            self.writer.accept_draft(draft.name)
        self.assertEqual(list(self.reader.list_statements(f'event = "{event}"')), [])

    def test_bad_input_names_the_field(self) -> None:
        event = self.new_event()
        with self.assertRaises(rollcall.InvalidArgument) as empty:
            self.writer.extract_drafts(event, text=" \n")
        self.assertIn("document.text", empty.exception.fields)
        with self.assertRaises(rollcall.NotFound):
            self.writer.extract_drafts("no-such-event", text=BENIN_CALLS_FOR_CALM)
        with self.assertRaises(rollcall.NotFound):
            self.reader.get_draft("no-such-draft")
        with self.assertRaises(rollcall.InvalidArgument) as bad_filter:
            list(self.reader.list_drafts('colour = "red"'))
        self.assertIn("filter", bad_filter.exception.fields)

    def test_a_calls_own_token_overrides_the_clients(self) -> None:
        event = self.new_event()
        with self.assertRaises(rollcall.PermissionDenied):
            self.reader.extract_drafts(event, text=BENIN_CALLS_FOR_CALM)
        response = self.reader.extract_drafts(
            event, text=BENIN_CALLS_FOR_CALM, url="https://afp.example/benin-3",
            token=WRITER_TOKEN,
        )
        name = response.drafts[0].name
        with self.assertRaises(rollcall.PermissionDenied):
            self.writer.reject_draft(name, "not a reaction", token=READER_TOKEN)
        with self.assertRaises(rollcall.Unauthenticated):
            list(self.writer.list_drafts(token="not-a-token-of-this-server"))
        with self.assertRaises(rollcall.Unauthenticated):
            next(self.writer.watch_drafts(token="not-a-token-of-this-server"))
        self.reader.reject_draft(name, "not a reaction", token=WRITER_TOKEN)
        rejected = self.reader.get_draft(name, token=ADMIN_TOKEN)
        self.assertEqual(rejected.state, draft_pb2.DRAFT_STATE_REJECTED)
        self.assertEqual(rejected.reviewer, "newsroom", "the call's token names the reviewer")

    def test_a_watch_starts_with_the_queue_then_carries_every_review(self) -> None:
        event = self.new_event()
        first = self.extract(event, ECOWAS_CONDEMNS, "https://afp.example/watch-1")
        with self.reader.watch_drafts(f'event = "{event}" AND state = PENDING') as watch:
            snapshot = {}
            for response in watch:
                snapshot.update({d.name: d.state for d in response.drafts})
                if response.caught_up:
                    break
            self.assertEqual(snapshot, {first.name: draft_pb2.DRAFT_STATE_PENDING})

            # Another reviewer extracts, then rejects: each change arrives.
            second = self.extract(event, BENIN_CALLS_FOR_CALM, "https://afp.example/watch-2")
            self.assertEqual([d.name for d in next(watch).drafts], [second.name])
            self.writer.reject_draft(second.name, "not a reaction")
            left = next(watch).drafts
            self.assertEqual([(d.name, d.reject_reason) for d in left],
                             [(second.name, "not a reaction")])

            # close() from another thread ends the iteration.
            threading.Timer(0.2, watch.close).start()
            self.assertEqual(list(watch), [])

    def test_a_malformed_watch_filter_is_invalid_argument(self) -> None:
        watch = self.reader.watch_drafts("state = LOST")
        with self.assertRaises(rollcall.InvalidArgument) as bad:
            next(watch)
        self.assertIn("filter", str(bad.exception))


if __name__ == "__main__":
    unittest.main()
