"""A resumable subscription to the statement commit log.

The server streams ``SubscribeStatementsResponse`` messages: changes (in
sequence order, none skipped or repeated), a ``caught_up`` marker when the
replay of stored changes ends, and heartbeats on an idle stream. A
Subscription turns that into an iterator of single changes that survives
server restarts: when the stream fails because the server is unreachable or
shutting down (UNAVAILABLE, or CANCELLED by the server) it resubscribes and
asks for the changes after its resume point.

When: a stream that delivered something, or that the server ended with
"reconnect now" (a zero ``google.rpc.RetryInfo``, sent on graceful
shutdown), is followed at once, after a random jitter below
``initial_backoff`` so that many subscribers do not arrive in the same
millisecond. The new call is wait-for-ready: it waits for the channel to
connect, and the channel's reconnect backoff (``grpc.*_reconnect_backoff_ms``,
see ``rollcall.channel``) paces the attempts while the server is down, so the
stream resumes within about that cap of the server's return. Streams refused
one after the other (the server answers, with an error) back off
exponentially from ``initial_backoff`` to ``max_backoff``.

The resume point is the sequence of the last change yielded, advanced by the
``head_sequence`` of caught-up markers and heartbeats: the server sends those
only once every matching change up to that sequence has been delivered, so a
narrow filter does not resume from far back in the log.
"""

from __future__ import annotations

import logging
import random
import threading
from typing import Callable, Iterator, Protocol

import grpc

from rollcall.errors import from_rpc_error
from rollcall.v1 import statement_pb2, statement_service_pb2

_log = logging.getLogger("rollcall")



class ResponseStream(Protocol):
    """A server-streaming call: gRPC's call object is iterable and
    cancellable."""

    def __iter__(self) -> Iterator[statement_service_pb2.SubscribeStatementsResponse]:
        ...

    def cancel(self) -> bool:
        ...


# Opens a stream for a request; the flag asks for a wait-for-ready call.
StreamOpener = Callable[[statement_service_pb2.SubscribeStatementsRequest, bool], ResponseStream]
SubscriptionItem = statement_pb2.StatementChange | statement_service_pb2.CaughtUp

# Codes a new stream can recover from: the server is unreachable or going
# away. A server that is shutting down ends its streams with UNAVAILABLE but
# cancels a call it accepted meanwhile (CANCELLED); a cancellation this
# client asked for ends iteration before the code is looked at. Everything
# else (a bad filter, a resume point beyond the head, ...) would fail again
# and is raised.
_RETRYABLE = frozenset({grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.CANCELLED})


class Subscription(Iterator[SubscriptionItem]):
    """Iterates over the changes of a subscription, reconnecting as needed.

    Each ``StatementChange`` is yielded once, in sequence order, across any
    number of reconnections. With ``include_caught_up`` the iterator also
    yields the ``CaughtUp`` marker of each stream where its replay ends.

    Iteration ends after ``close()`` (which any thread may call), after the
    client's ``close()``, or if the server ends the stream without an error. A non-retryable error is
    raised as a RollcallError (e.g. InvalidArgument, OutOfRange).
    """

    def __init__(
        self,
        open_stream: StreamOpener,
        request: statement_service_pb2.SubscribeStatementsRequest,
        include_caught_up: bool = False,
        initial_backoff: float = 0.1,
        max_backoff: float = 0.75,
    ) -> None:
        if not 0 < initial_backoff <= max_backoff:
            raise ValueError("need 0 < initial_backoff <= max_backoff")
        self._open_stream = open_stream
        self._request = request
        self._include_caught_up = include_caught_up
        self._initial_backoff = initial_backoff
        self._max_backoff = max_backoff
        self._resume_after: int | None = None
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._stream: ResponseStream | None = None
        self._items = self._run()

    @property
    def resume_after(self) -> int | None:
        """The sequence the subscription would resume after (None until the
        first change, caught-up marker or heartbeat). Persist it to resume a
        later subscription with ``after_sequence``."""
        return self._resume_after

    def __next__(self) -> SubscriptionItem:
        if self._closed.is_set():  # even if a received message has more
            raise StopIteration
        return next(self._items)

    def close(self) -> None:
        """Ends the subscription: cancels the stream and stops iteration."""
        self._closed.set()
        with self._lock:
            if self._stream is not None:
                self._stream.cancel()

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _run(self) -> Iterator[SubscriptionItem]:
        refused = 0  # streams in a row that ended before a response
        resubscribing = False
        while not self._closed.is_set():
            received = False
            try:
                for response in self._open(wait_for_ready=resubscribing):
                    received = True
                    yield from self._handle(response)
                return
            except ValueError:
                # grpc refuses a call on a closed channel; the client closes
                # its subscriptions before its channel, so this one is done.
                if self._closed.is_set():
                    return
                raise
            except grpc.RpcError as error:
                if self._closed.is_set():
                    return
                if error.code() not in _RETRYABLE:
                    raise from_rpc_error(error) from error
                refused = 0 if received else refused + 1
                delay = self._delay(refused, from_rpc_error(error).reconnect_now)
                _log.warning(
                    "subscription interrupted (%s: %s); reconnecting in %.2f s "
                    "after sequence %s",
                    error.code().name, error.details(), delay, self._resume_after,
                )
            finally:
                self._cancel_stream()
            resubscribing = True
            if self._closed.wait(delay):
                return

    def _delay(self, refused: int, reconnect_now: bool) -> float:
        """The pause before resubscribing (see the module's docstring)."""
        if refused == 0 or (refused == 1 and reconnect_now):
            return random.uniform(0, self._initial_backoff)
        base = min(self._initial_backoff * 2 ** (refused - 1), self._max_backoff)
        return base * random.uniform(0.8, 1.2)

    def _open(self, wait_for_ready: bool) -> ResponseStream:
        """Starts a stream at the original start position, or after the
        resume point once there is one."""
        request = statement_service_pb2.SubscribeStatementsRequest()
        request.CopyFrom(self._request)
        if self._resume_after is not None:
            request.after_sequence = self._resume_after
        stream = self._open_stream(request, wait_for_ready)
        with self._lock:
            self._stream = stream
        if self._closed.is_set():  # close() ran before the stream was stored
            stream.cancel()
        return stream

    def _cancel_stream(self) -> None:
        with self._lock:
            if self._stream is not None:
                self._stream.cancel()
                self._stream = None

    def _handle(
        self, response: statement_service_pb2.SubscribeStatementsResponse
    ) -> Iterator[SubscriptionItem]:
        for change in response.changes:
            self._resume_after = change.sequence
            yield change
        if response.HasField("caught_up"):
            self._advance(response.caught_up.head_sequence)
            if self._include_caught_up:
                yield response.caught_up
        if response.HasField("heartbeat"):
            self._advance(response.heartbeat.head_sequence)

    def _advance(self, head_sequence: int) -> None:
        if self._resume_after is None or head_sequence > self._resume_after:
            self._resume_after = head_sequence
