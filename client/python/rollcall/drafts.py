"""Drafts: statements proposed from news articles, and their review.

``Client`` has these methods (``DraftMethods``): read a document for an
event and propose the reactions it reports (``extract_drafts``), look at
the drafts (``get_draft``, ``list_drafts``, ``get_document``), accept one,
with corrections if need be, or reject it (``accept_draft``,
``reject_draft``), and follow a queue of drafts as other reviewers work on
it (``watch_drafts``). Nothing proposed enters the record until it is
accepted. Every method takes a ``token`` of its own, which overrides the
client's for that call (a service that acts for several reviewers sends
each one's token).
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Iterable, Iterator, Protocol

import grpc
from google.protobuf import field_mask_pb2

from rollcall.channel import Metadata
from rollcall.errors import from_rpc_error
from rollcall.messages import build_message, message_or_fields, resource_name
from rollcall.v1 import draft_pb2, draft_service_pb2, draft_service_pb2_grpc, statement_pb2


class WatchStream(Protocol):
    """A server-streaming call: gRPC's call object is iterable and
    cancellable."""

    def __iter__(self) -> Iterator[draft_service_pb2.WatchDraftsResponse]:
        ...

    def cancel(self) -> bool:
        ...


class DraftWatch(Iterator[draft_service_pb2.WatchDraftsResponse]):
    """Iterates over the messages of a WatchDrafts stream: first every
    draft matching the filter as it is now (in one or more messages), then a
    message with ``caught_up`` set, then each draft again after every change
    (a new draft, new evidence, accepted, rejected). A draft that stops
    matching the filter is sent once more, as it now is.

    The stream is a view of the drafts' state, not a log: to come back after
    an error (Unavailable, with ``reconnect_now``, when the server stops),
    watch again and let the drafts before ``caught_up`` replace what you
    held; nothing is missed. Iteration ends after ``close()`` (which any
    thread may call); an error is raised as a RollcallError.
    """

    def __init__(self, stream: WatchStream) -> None:
        self._stream = stream
        self._closed = threading.Event()
        self._responses = iter(stream)

    def __next__(self) -> draft_service_pb2.WatchDraftsResponse:
        if self._closed.is_set():
            raise StopIteration
        try:
            return next(self._responses)
        except grpc.RpcError as error:
            if self._closed.is_set():
                raise StopIteration from None
            raise from_rpc_error(error) from error

    def close(self) -> None:
        """Ends the watch: cancels the stream and stops iteration."""
        self._closed.set()
        self._stream.cancel()

    def __enter__(self) -> DraftWatch:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class DraftMethods:
    """The DraftService calls of ``Client`` (see the module's docstring).
    The client provides the channel, the metadata and the unary calls."""

    _drafts: draft_service_pb2_grpc.DraftServiceStub
    _call: Callable[..., Any]
    _pages: Callable[..., Iterator[Any]]
    _metadata_for: Callable[[str | None], Metadata]

    def extract_drafts(
        self,
        event: str,
        document: draft_pb2.Document | None = None,
        *,
        validate_only: bool = False,
        token: str | None = None,
        **fields: Any,
    ) -> draft_service_pb2.ExtractDraftsResponse:
        """Reads a document reporting reactions to ``event`` (name or id) and
        proposes each reaction as a pending draft. The document is a message
        or keyword fields: its ``text`` (or ``html``, not both), and where it
        was published: ``url``, ``title``, ``publisher``, ``medium``,
        ``publish_time``, ``language``::

            client.extract_drafts("niger-coup-2023", text=article,
                                  url="https://example.org/niger",
                                  publisher="AFP", publish_time=date(2023, 7, 26))

        Returns the recorded ``document``, its ``drafts`` and
        ``already_extracted``: a document extracted before for the event (the
        same URL or, without one, the same text) returns what it gave then
        and records nothing new. With ``validate_only`` nothing is recorded:
        the drafts are a preview. Raises InvalidArgument naming the field
        (``document.text``: empty, oversized or not text) and NotFound for
        an unknown event.
        """
        request = draft_service_pb2.ExtractDraftsRequest(
            event=resource_name("events", event),
            document=message_or_fields(draft_pb2.Document, document, fields),
            validate_only=validate_only,
        )
        return self._call(self._drafts.ExtractDrafts, request, token=token)

    def get_document(self, name: str, *, token: str | None = None) -> draft_pb2.Document:
        """Returns a document that was extracted, with its text, by name or
        id."""
        request = draft_service_pb2.GetDocumentRequest(name=resource_name("documents", name))
        return self._call(self._drafts.GetDocument, request, token=token)

    def get_draft(self, name: str, *, token: str | None = None) -> draft_pb2.Draft:
        """Returns a draft as it is now, by name or id."""
        request = draft_service_pb2.GetDraftRequest(name=resource_name("drafts", name))
        return self._call(self._drafts.GetDraft, request, token=token)

    def list_drafts(
        self, filter: str = "", *, page_size: int = 0, token: str | None = None
    ) -> Iterator[draft_pb2.Draft]:
        """Iterates over the drafts matching ``filter``, oldest first,
        fetching ``page_size`` per call. The filter joins restrictions with
        AND: ``event = "events/niger-coup-2023" AND state = PENDING``, also
        ``actor = "actors/ecowas"`` and ``document = "documents/..."``."""
        request = draft_service_pb2.ListDraftsRequest(filter=filter, page_size=page_size)
        return self._pages(self._drafts.ListDrafts, request, "drafts", token=token)

    def accept_draft(
        self,
        name: str,
        statement: statement_pb2.Statement | None = None,
        update_mask: Iterable[str] | None = None,
        *,
        etag: str | None = None,
        allow_duplicate: bool = False,
        token: str | None = None,
        **fields: Any,
    ) -> draft_service_pb2.AcceptDraftResponse:
        """Accepts a draft: records its statement and marks it accepted.
        Returns the ``draft`` and the ``statement`` it became. Corrections,
        if any, are given as for ``update_statement``:

        - ``accept_draft(name, stance="criticises")``: the keyword fields
          replace the proposal's and form the update mask; or
        - ``accept_draft(name, s, ["stance"])``: the fields named, taken
          from the Statement ``s``.

        The statement goes through CreateStatement's validation and
        duplicate check: InvalidArgument naming the field, AlreadyExists for
        a near-duplicate of a recorded statement (``allow_duplicate=True``
        records it anyway). With an ``etag`` (the draft's, as read), only if
        nobody changed the draft since (else Aborted). FailedPrecondition
        for a rejected draft, or one whose actor is unresolved and not named
        by the corrections. Accepting an accepted draft again returns the
        statement it became and records nothing.
        """
        if not isinstance(allow_duplicate, bool):
            raise TypeError(
                f"allow_duplicate must be a bool, got {type(allow_duplicate).__name__}"
            )
        request = draft_service_pb2.AcceptDraftRequest(
            name=resource_name("drafts", name),
            etag=etag or "",
            allow_duplicate=allow_duplicate,
        )
        if statement is not None and fields:
            raise TypeError("pass a Statement or keyword fields, not both")
        if fields:
            request.statement.CopyFrom(build_message(statement_pb2.Statement, fields))
            paths = list(update_mask) if update_mask is not None else list(fields)
            request.update_mask.CopyFrom(field_mask_pb2.FieldMask(paths=paths))
        elif statement is not None:
            if update_mask is None:
                raise ValueError("name the fields to take from the Statement: update_mask")
            request.statement.CopyFrom(statement)
            request.update_mask.CopyFrom(field_mask_pb2.FieldMask(paths=list(update_mask)))
        elif update_mask is not None:
            raise ValueError("an update_mask needs a Statement or keyword fields")
        return self._call(self._drafts.AcceptDraft, request, token=token)

    def reject_draft(
        self, name: str, reason: str, *, etag: str | None = None, token: str | None = None
    ) -> draft_pb2.Draft:
        """Rejects a draft with a ``reason``; nothing is recorded. Returns
        the draft as rejected; rejecting it again returns it unchanged. With
        an ``etag``, only if nobody changed the draft since (else Aborted).
        FailedPrecondition for an accepted draft; InvalidArgument without a
        reason."""
        request = draft_service_pb2.RejectDraftRequest(
            name=resource_name("drafts", name), reason=reason, etag=etag or ""
        )
        return self._call(self._drafts.RejectDraft, request, token=token)

    def watch_drafts(self, filter: str = "", *, token: str | None = None) -> DraftWatch:
        """Follows the drafts matching ``filter`` (``list_drafts``' syntax)
        as they change: see DraftWatch. A malformed filter raises
        InvalidArgument from the first ``next()``."""
        request = draft_service_pb2.WatchDraftsRequest(filter=filter)
        return DraftWatch(self._drafts.WatchDrafts(request, metadata=self._metadata_for(token)))

