"""Subscriptions deliver every change once, in order, across server
restarts, and give up on errors a retry cannot fix."""

from __future__ import annotations

import threading
import time
import unittest
from typing import Callable

import grpc

import rollcall
from rollcall.errors import from_rpc_error
from rollcall.v1 import statement_pb2, statement_service_pb2, statement_service_pb2_grpc
from server_process import ServerTestCase, start_server

_WAIT = 15.0  # seconds a test waits for an expected change


class Collector:
    """Iterates over a subscription on a thread, collecting what it yields."""

    def __init__(self, subscription: rollcall.Subscription) -> None:
        self.subscription = subscription
        self.items: list = []
        self.arrivals: list[float] = []  # time.monotonic() of each item
        self.error: Exception | None = None
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            for item in self.subscription:
                with self._changed:
                    self.items.append(item)
                    self.arrivals.append(time.monotonic())
                    self._changed.notify_all()
        except Exception as error:  # handed to the test thread
            with self._changed:
                self.error = error
                self._changed.notify_all()

    @property
    def changes(self) -> list[statement_pb2.StatementChange]:
        return [i for i in self.items if isinstance(i, statement_pb2.StatementChange)]

    def wait_for(self, condition: Callable[[], bool]) -> None:
        """Waits until ``condition()`` holds; fails the test after _WAIT."""
        with self._changed:
            if not self._changed.wait_for(condition, timeout=_WAIT):
                raise AssertionError(f"timed out; received {len(self.changes)} changes")

    def wait_for_changes(self, count: int) -> None:
        self.wait_for(lambda: len(self.changes) >= count)

    def wait_for_end(self) -> None:
        """Waits until the iteration has ended; fails the test after _WAIT."""
        self._thread.join(timeout=_WAIT)
        if self._thread.is_alive():
            raise AssertionError("the subscription's iteration did not end")

    def wait_for_error(self) -> Exception:
        self.wait_for(lambda: self.error is not None)
        return self.error

    def close(self) -> None:
        """Closes the subscription and waits for the iteration to end."""
        self.subscription.close()
        self._thread.join(timeout=_WAIT)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()


def read_log(client: rollcall.Client, filter: str = "") -> list[statement_pb2.StatementChange]:
    """The changes of the log matching ``filter``, replayed up to the head."""
    log = []
    with client.subscribe(filter, from_beginning=True, include_caught_up=True) as replay:
        timer = threading.Timer(_WAIT, replay.close)
        timer.start()
        for item in replay:
            if isinstance(item, statement_service_pb2.CaughtUp):
                timer.cancel()
                return log
            log.append(item)
    raise AssertionError("the replay did not catch up")


def write_statement(client: rollcall.Client, i: int) -> statement_pb2.Statement:
    return client.add_statement(event="coup", actor="ecowas", stance="condemns",
                                quote=f"statement {i}", issue_time="2023-07-26")


def summary(changes: list[statement_pb2.StatementChange]) -> list[tuple]:
    return [(c.sequence, c.kind, c.statement.name, c.statement.revision) for c in changes]


class SubscribeAcrossRestartTest(unittest.TestCase):
    def test_resumes_after_restart_with_every_change_once_in_order(self) -> None:
        server = start_server(self.addCleanup)
        with rollcall.Client(server.address) as client:
            client.add_actor("ecowas", display_name="ECOWAS", kind="regional-bloc")
            client.add_event("coup", title="Coup", start_time="2023-07-26")
            first = [write_statement(client, i) for i in range(5)]
            collector = Collector(client.subscribe('event = "events/coup"', from_beginning=True))
            self.addCleanup(collector.close)
            collector.wait_for_changes(5)

            with self.assertLogs("rollcall", "WARNING") as logs:
                server.restart()
                with rollcall.Client(server.address) as writer:
                    later = [write_statement(writer, i) for i in range(5, 10)]
                    writer.update_statement(first[0].name, quote="corrected")
                    writer.retract_statement(later[0].name, "duplicate")
                collector.wait_for_changes(12)
            self.assertIn("UNAVAILABLE", logs.output[0])

            log = read_log(client)
        self.assertIsNone(collector.error)
        self.assertEqual([c.sequence for c in log], list(range(1, 13)))
        self.assertEqual(summary(collector.changes), summary(log))
        self.assertEqual(collector.changes[-1].kind, statement_pb2.CHANGE_KIND_RETRACTED)
        self.assertEqual(collector.subscription.resume_after, 12)


# A resubscription must be under way within this long of the server's
# return (the channel's reconnect backoff is capped at 0.75 s, +-20%); the
# test allows as much again for a loaded machine.
_RESUME_BOUND = 1.0
_SLACK = 0.5


class ResumeAfterOutageTest(unittest.TestCase):
    """The server is down for a while; the first change written after it
    serves again arrives promptly, and nothing is missed or repeated."""

    def outage(self, seconds: float) -> None:
        server = start_server(self.addCleanup)
        with rollcall.Client(server.address) as client:
            client.add_actor("ecowas", display_name="ECOWAS", kind="regional-bloc")
            client.add_event("coup", title="Coup", start_time="2023-07-26")
            for i in range(3):
                write_statement(client, i)
            collector = Collector(client.subscribe('event = "events/coup"', from_beginning=True))
            self.addCleanup(collector.close)
            collector.wait_for_changes(3)

            server.stop()
            time.sleep(seconds)
            server.start()
            serving = time.monotonic()
            with rollcall.Client(server.address) as writer:
                write_statement(writer, 3)
            written = time.monotonic() - serving
            collector.wait_for_changes(4)
            delay = collector.arrivals[3] - serving
            for i in range(4, 6):
                write_statement(client, i)
            collector.wait_for_changes(6)
            log = read_log(client)

        self.assertLessEqual(delay, max(_RESUME_BOUND, written) + _SLACK,
                             f"first change after the restart took {delay:.3f} s "
                             f"(its write {written:.3f} s)")
        self.assertIsNone(collector.error)
        self.assertEqual([c.sequence for c in collector.changes], list(range(1, 7)))
        self.assertEqual(summary(collector.changes), summary(log))

    def test_resumes_within_a_second_after_a_2s_outage(self) -> None:
        self.outage(2)

    def test_resumes_within_a_second_after_a_30s_outage(self) -> None:
        self.outage(30)

    def test_a_graceful_shutdown_ends_streams_with_reconnect_now(self) -> None:
        server = start_server(self.addCleanup)
        channel = grpc.insecure_channel(server.address)
        self.addCleanup(channel.close)
        stub = statement_service_pb2_grpc.StatementServiceStub(channel)
        stream = stub.SubscribeStatements(statement_service_pb2.SubscribeStatementsRequest())
        self.assertTrue(next(stream).HasField("caught_up"))
        server.stop()
        with self.assertRaises(grpc.RpcError) as raised:
            next(stream)
        error = from_rpc_error(raised.exception)
        self.assertEqual(error.code, grpc.StatusCode.UNAVAILABLE)
        self.assertIn("reconnect now", error.message)
        self.assertTrue(error.reconnect_now)


class SubscribeTest(ServerTestCase):
    def test_replays_then_marks_caught_up_then_delivers_live(self) -> None:
        event = self.new_event()
        stored = self.add_statements(event, 3)
        subscription = self.client.subscribe(f'event = "{event}"', from_beginning=True,
                                             include_caught_up=True)
        collector = Collector(subscription)
        self.addCleanup(collector.close)
        collector.wait_for(lambda: len(collector.items) >= 4)
        caught_up = collector.items[3]
        self.assertIsInstance(caught_up, statement_service_pb2.CaughtUp)
        self.assertGreaterEqual(caught_up.head_sequence, stored[-1].sequence)

        live = self.add_statements(event, 1)[0]
        collector.wait_for_changes(4)
        self.assertEqual([c.statement.name for c in collector.changes],
                         [s.name for s in stored + [live]])
        self.assertEqual(collector.changes[-1].sequence, live.sequence)

    def test_caught_up_sets_the_resume_point_of_a_subscription_from_now(self) -> None:
        written = self.add_statements(self.new_event(), 2)
        subscription = self.client.subscribe(f'event = "{self.new_event()}"',
                                             include_caught_up=True)
        collector = Collector(subscription)
        self.addCleanup(collector.close)
        collector.wait_for(lambda: len(collector.items) >= 1)
        self.assertEqual(collector.items[0].head_sequence, written[-1].sequence)
        self.assertEqual(subscription.resume_after, written[-1].sequence)

    def test_heartbeats_advance_the_resume_point_of_a_narrow_filter(self) -> None:
        quiet, busy = self.new_event(), self.new_event()
        subscription = self.client.subscribe(f'event = "{quiet}"', heartbeat_interval=0.1)
        collector = Collector(subscription)
        self.addCleanup(collector.close)
        written = self.add_statements(busy, 3)
        deadline = time.monotonic() + _WAIT
        while (subscription.resume_after or 0) < written[-1].sequence:
            self.assertLess(time.monotonic(), deadline, "no heartbeat moved the resume point")
            time.sleep(0.05)
        self.assertEqual(collector.changes, [])

    def test_starts_after_a_sequence(self) -> None:
        event = self.new_event()
        stored = self.add_statements(event, 3)
        collector = Collector(
            self.client.subscribe(f'event = "{event}"', after_sequence=stored[0].sequence)
        )
        self.addCleanup(collector.close)
        collector.wait_for_changes(2)
        self.assertEqual([c.statement.name for c in collector.changes],
                         [s.name for s in stored[1:]])

    def test_resume_point_beyond_the_head_raises_out_of_range_without_retrying(self) -> None:
        with self.assertNoLogs("rollcall", "WARNING"):
            collector = Collector(self.client.subscribe(after_sequence=1_000_000))
            self.addCleanup(collector.close)
            self.assertIsInstance(collector.wait_for_error(), rollcall.OutOfRange)

    def test_malformed_filter_raises_invalid_argument_without_retrying(self) -> None:
        with self.assertNoLogs("rollcall", "WARNING"):
            collector = Collector(self.client.subscribe("stance ="))
            self.addCleanup(collector.close)
            error = collector.wait_for_error()
        self.assertIsInstance(error, rollcall.InvalidArgument)
        self.assertEqual(error.fields, ["filter"])

    def test_close_ends_iteration_from_another_thread(self) -> None:
        collector = Collector(self.client.subscribe())
        collector.close()
        self.assertFalse(collector.running)
        self.assertIsNone(collector.error)

    def test_closing_the_client_ends_its_subscriptions_without_an_error(self) -> None:
        event = self.new_event()
        self.add_statements(event, 2)
        client = rollcall.Client(self.server.address)
        collector = Collector(client.subscribe(f'event = "{event}"', from_beginning=True))
        self.addCleanup(collector.close)
        collector.wait_for(lambda: len(collector.changes) >= 2)
        client.close()
        collector.wait_for_end()
        self.assertIsNone(collector.error)
        self.assertEqual(len(collector.changes), 2)

    def test_more_than_one_start_position_is_rejected(self) -> None:
        with self.assertRaises(ValueError):
            self.client.subscribe(after_sequence=1, from_beginning=True)


if __name__ == "__main__":
    unittest.main()
