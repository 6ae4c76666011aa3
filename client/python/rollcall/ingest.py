"""Bulk loading over IngestStatements, the bidirectional statement stream.

The client writes one IngestStatementsRequest per input item and the server
answers each, in order, once the statement is durable or with the error that
kept it out; a bad item does not end the stream. An Ingestion turns that into
an iterator of IngestResult, one per item, in input order.

The input is consumed lazily, by gRPC's sending thread, one item after the
previous one has been written: a slow connection or server holds the input
back instead of buffering it. If the input itself fails (an item that cannot
be converted, or the caller's iterable raising), the write side is closed
there: the results of the items before it are still yielded, then its
exception is raised.
"""

from __future__ import annotations

import dataclasses
import threading
from typing import Callable, Iterator, Protocol

import grpc

from rollcall.errors import RollcallError, from_rpc_error, from_status
from rollcall.v1 import statement_pb2, statement_service_pb2


@dataclasses.dataclass(frozen=True)
class IngestResult:
    """The outcome of one input item: exactly one of ``statement`` (as
    recorded, durable) and ``error`` (why it was not recorded, e.g. an
    InvalidArgument whose ``fields`` are ``["request.statement.stance"]``)."""

    index: int
    statement: statement_pb2.Statement | None = None
    error: RollcallError | None = None

    @property
    def ok(self) -> bool:
        """Whether the item was recorded."""
        return self.error is None


class ResponseStream(Protocol):
    """A bidirectional call as gRPC returns it: iterable and cancellable."""

    def __iter__(self) -> Iterator[statement_service_pb2.IngestStatementsResponse]:
        ...

    def cancel(self) -> bool:
        ...


StreamOpener = Callable[
    [Iterator[statement_service_pb2.IngestStatementsRequest]], ResponseStream
]


class Ingestion(Iterator[IngestResult]):
    """Iterates over the results of an IngestStatements stream, one per input
    item, in order; the stream opens on the first ``next()``.

    A failure of the stream itself (the server shutting down, a deadline) is
    raised as a RollcallError; the results yielded before it are durable, and
    the items after the last one yielded may or may not be: send them again
    with the same request ids. ``close()`` (from any thread, or leaving a
    ``with`` block) cancels the stream and ends the iteration; it cannot
    interrupt the input while the input is blocked producing its next item.
    """

    def __init__(
        self,
        open_stream: StreamOpener,
        requests: Iterator[statement_service_pb2.CreateStatementRequest],
    ) -> None:
        self._open_stream = open_stream
        self._requests = requests
        self._input_error: BaseException | None = None
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._stream: ResponseStream | None = None
        self._results = self._run()

    def __next__(self) -> IngestResult:
        if self._closed.is_set():
            raise StopIteration
        return next(self._results)

    def close(self) -> None:
        """Cancels the stream. Items written but not yet answered may or may
        not be recorded."""
        self._closed.set()
        with self._lock:
            if self._stream is not None:
                self._stream.cancel()

    def __enter__(self) -> Ingestion:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _run(self) -> Iterator[IngestResult]:
        stream = self._open_stream(self._send())
        with self._lock:
            self._stream = stream
        if self._closed.is_set():  # close() ran before the stream was stored
            stream.cancel()
        try:
            for response in stream:
                yield _result(response)
        except grpc.RpcError as error:
            if self._closed.is_set():
                return
            raise from_rpc_error(error) from error
        finally:
            stream.cancel()
        if self._input_error is not None:
            # The server answered every item before the failed one.
            raise self._input_error

    def _send(self) -> Iterator[statement_service_pb2.IngestStatementsRequest]:
        """The requests, pulled by gRPC's sending thread. An exception from
        the input ends the write side instead of cancelling the call, so the
        items before it still get their results."""
        try:
            for request in self._requests:
                if self._closed.is_set():
                    return
                yield statement_service_pb2.IngestStatementsRequest(request=request)
        except Exception as error:  # noqa: BLE001 - re-raised in the caller's thread
            self._input_error = error


def _result(response: statement_service_pb2.IngestStatementsResponse) -> IngestResult:
    if response.HasField("error"):
        return IngestResult(response.index, error=from_status(response.error))
    return IngestResult(response.index, statement=response.statement)
