"""Client: one connection to rollcalld and a method per API call.

Methods take the generated messages (``rollcall.v1.*_pb2``) or keyword
fields (see ``rollcall.messages`` for the accepted values) and return the
generated messages. List methods return iterators that fetch pages as they
go. Every failed call raises a ``rollcall.errors.RollcallError``.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence, TypeVar
import weakref

import grpc
from google.protobuf import field_mask_pb2, message

from rollcall.channel import (
    ChannelOptions,
    Interceptor,
    Metadata,
    TLSConfig,
    auth_metadata,
    open_channel,
)
from rollcall.drafts import DraftMethods
from rollcall.errors import from_rpc_error
from rollcall.ingest import Ingestion
from rollcall.messages import (
    DurationLike,
    TimeLike,
    build_message,
    message_or_fields,
    resource_name,
    to_duration,
    to_timestamp,
)
from rollcall.subscribe import Subscription
from rollcall.v1 import (
    actor_pb2,
    actor_service_pb2,
    actor_service_pb2_grpc,
    draft_service_pb2_grpc,
    event_pb2,
    event_service_pb2,
    event_service_pb2_grpc,
    statement_pb2,
    statement_service_pb2,
    statement_service_pb2_grpc,
)

M = TypeVar("M", bound=message.Message)
Request = TypeVar("Request", bound=message.Message)

StatementFields = statement_pb2.Statement | Mapping[str, Any]
# An item of add_statements and ingest: a Statement, a dict of add_statement's
# keyword arguments (fields, and optionally "request_id" and
# "allow_duplicate"), a pair (Statement or dict of fields, request_id) or a
# triple (Statement or dict of fields, request_id, allow_duplicate).
StatementItem = (
    StatementFields
    | tuple[StatementFields, str | None]
    | tuple[StatementFields, str | None, bool]
)


class Client(DraftMethods):
    """A connection to rollcalld.

    ``Client("localhost:50051")`` connects in plaintext; pass
    ``tls=TLSConfig(...)`` for TLS. A ``token`` is sent with every call as
    ``authorization: Bearer <token>``. ``timeout`` is the deadline of each
    unary call in seconds (None: no deadline); subscriptions have none.
    ``options`` (gRPC channel arguments) and ``interceptors`` (gRPC client
    interceptors) go to the channel. Use it as a context manager, or call
    ``close()``.
    """

    def __init__(
        self,
        target: str,
        token: str | None = None,
        tls: TLSConfig | None = None,
        *,
        timeout: float | None = 10.0,
        options: ChannelOptions = (),
        interceptors: Sequence[Interceptor] = (),
    ) -> None:
        self._channel = open_channel(target, tls, options, interceptors)
        self._metadata = auth_metadata(token)
        self._timeout = timeout
        self._actors = actor_service_pb2_grpc.ActorServiceStub(self._channel)
        self._events = event_service_pb2_grpc.EventServiceStub(self._channel)
        self._statements = statement_service_pb2_grpc.StatementServiceStub(self._channel)
        self._drafts = draft_service_pb2_grpc.DraftServiceStub(self._channel)
        # Open subscriptions, closed with the client (they would otherwise
        # try to resubscribe on the closed channel).
        self._subscriptions: weakref.WeakSet[Subscription] = weakref.WeakSet()

    def close(self) -> None:
        """Closes the channel; calls in flight are cancelled and the
        client's subscriptions end their iteration."""
        for subscription in list(self._subscriptions):
            subscription.close()
        self._channel.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # Actors.

    def add_actor(
        self, actor_id: str, actor: actor_pb2.Actor | None = None, **fields: Any
    ) -> actor_pb2.Actor:
        """Creates the actor ``actors/{actor_id}`` from a message or keyword
        fields, e.g. ``add_actor("ecowas", display_name="ECOWAS",
        kind="regional-bloc")``."""
        request = actor_service_pb2.CreateActorRequest(
            actor_id=actor_id.removeprefix("actors/"),
            actor=message_or_fields(actor_pb2.Actor, actor, fields),
        )
        return self._call(self._actors.CreateActor, request)

    def get_actor(self, name: str) -> actor_pb2.Actor:
        """Returns an actor by name or id (``"ecowas"``)."""
        request = actor_service_pb2.GetActorRequest(name=resource_name("actors", name))
        return self._call(self._actors.GetActor, request)

    def list_actors(self, filter: str = "", *, page_size: int = 0) -> Iterator[actor_pb2.Actor]:
        """Iterates over the actors matching ``filter`` (ListActorsRequest
        syntax), in id order, fetching ``page_size`` per call."""
        request = actor_service_pb2.ListActorsRequest(filter=filter, page_size=page_size)
        return self._pages(self._actors.ListActors, request, "actors")

    def update_actor(
        self,
        actor: actor_pb2.Actor | str,
        update_mask: Iterable[str] | None = None,
        *,
        etag: str | None = None,
        **fields: Any,
    ) -> actor_pb2.Actor:
        """Updates an actor; see ``update_statement`` for the arguments."""
        actor, mask = _update(actor_pb2.Actor, "actors", actor, update_mask, etag, fields)
        request = actor_service_pb2.UpdateActorRequest(actor=actor, update_mask=mask)
        return self._call(self._actors.UpdateActor, request)

    # Events.

    def add_event(
        self, event_id: str, event: event_pb2.Event | None = None, **fields: Any
    ) -> event_pb2.Event:
        """Creates the event ``events/{event_id}`` from a message or keyword
        fields, e.g. ``add_event("niger-coup-2023", title="Coup in Niger",
        start_time=date(2023, 7, 26))``."""
        request = event_service_pb2.CreateEventRequest(
            event_id=event_id.removeprefix("events/"),
            event=message_or_fields(event_pb2.Event, event, fields),
        )
        return self._call(self._events.CreateEvent, request)

    def get_event(self, name: str) -> event_pb2.Event:
        """Returns an event by name or id (``"niger-coup-2023"``)."""
        request = event_service_pb2.GetEventRequest(name=resource_name("events", name))
        return self._call(self._events.GetEvent, request)

    def list_events(self, filter: str = "", *, page_size: int = 0) -> Iterator[event_pb2.Event]:
        """Iterates over the events matching ``filter``, most recent first."""
        request = event_service_pb2.ListEventsRequest(filter=filter, page_size=page_size)
        return self._pages(self._events.ListEvents, request, "events")

    def update_event(
        self,
        event: event_pb2.Event | str,
        update_mask: Iterable[str] | None = None,
        *,
        etag: str | None = None,
        **fields: Any,
    ) -> event_pb2.Event:
        """Updates an event; see ``update_statement`` for the arguments."""
        event, mask = _update(event_pb2.Event, "events", event, update_mask, etag, fields)
        request = event_service_pb2.UpdateEventRequest(event=event, update_mask=mask)
        return self._call(self._events.UpdateEvent, request)

    # Statements.

    def add_statement(
        self,
        statement: statement_pb2.Statement | None = None,
        *,
        request_id: str | None = None,
        allow_duplicate: bool = False,
        **fields: Any,
    ) -> statement_pb2.Statement:
        """Records a statement given as a message or as keyword fields::

            client.add_statement(event="niger-coup-2023", actor="ecowas",
                                 stance="condemns", quote="...",
                                 issue_time=date(2023, 7, 26))

        With a ``request_id``, a retry of the same request returns the
        statement the first call recorded instead of recording it twice.

        A near-duplicate of an active statement (same actor and event,
        issued within 24 hours, quote near-identical) raises AlreadyExists
        whose ``resource_name`` is the existing statement's name; with
        ``allow_duplicate=True`` it is recorded anyway.
        """
        request = _statement_request(
            (
                message_or_fields(statement_pb2.Statement, statement, fields),
                request_id,
                allow_duplicate,
            )
        )
        return self._call(self._statements.CreateStatement, request)

    def add_statements(self, items: Iterable[StatementItem]) -> list[statement_pb2.Statement]:
        """Records up to 1000 statements atomically: all or none
        (BatchCreateStatements). Each item is a Statement, a dict of
        ``add_statement``'s keyword arguments (``request_id`` and
        ``allow_duplicate`` included), a ``(statement, request_id)`` pair or
        a ``(statement, request_id, allow_duplicate)`` triple. Returns the
        statements recorded, in order. If any item is rejected nothing is
        recorded and the error names it by index:
        ``error.fields == ["requests[3].statement.stance"]``; an item that
        duplicates a stored statement or an earlier item raises
        AlreadyExists (``requests[i].statement.quote``).
        """
        request = statement_service_pb2.BatchCreateStatementsRequest(
            requests=[_statement_request(item) for item in items]
        )
        return list(self._call(self._statements.BatchCreateStatements, request).statements)

    def ingest(
        self, statements: Iterable[StatementItem], *, timeout: float | None = None
    ) -> Ingestion:
        """Records a stream of statements (IngestStatements), for feeds and
        bulk loads. Items take the forms of ``add_statements``; give each a
        ``request_id`` derived from its source, so that sending it again
        (after a broken stream, or a rerun) returns the statement recorded
        the first time; without one, a re-sent item is recorded twice.

        Returns an Ingestion yielding one IngestResult per item, in order:
        its ``statement``, or its ``error`` (a RollcallError) if the server
        rejected it; a bad item does not end the stream. ``statements`` is
        read lazily, as the stream can take it. ``timeout`` bounds the whole
        stream (default: none).
        """
        requests = (_statement_request(item) for item in statements)
        return Ingestion(
            lambda r: self._statements.IngestStatements(
                r, timeout=timeout, metadata=self._metadata
            ),
            requests,
        )

    def get_statement(self, name: str) -> statement_pb2.Statement:
        """Returns a statement as it is now, by name or id."""
        request = statement_service_pb2.GetStatementRequest(
            name=resource_name("statements", name)
        )
        return self._call(self._statements.GetStatement, request)

    def list_statements(
        self,
        filter: str = "",
        *,
        page_size: int = 0,
        order_by: str = "",
        show_retracted: bool = False,
    ) -> Iterator[statement_pb2.Statement]:
        """Iterates over every statement matching ``filter`` (the syntax is
        on StatementService in statement_service.proto), oldest first or as
        ``order_by`` (``"issue_time desc"``) says, fetching ``page_size`` per
        call (0: the server's default, 50)."""
        request = statement_service_pb2.ListStatementsRequest(
            filter=filter,
            page_size=page_size,
            order_by=order_by,
            show_retracted=show_retracted,
        )
        return self._pages(self._statements.ListStatements, request, "statements")

    def update_statement(
        self,
        statement: statement_pb2.Statement | str,
        update_mask: Iterable[str] | None = None,
        *,
        etag: str | None = None,
        **fields: Any,
    ) -> statement_pb2.Statement:
        """Corrects a statement, recording a new revision. Either:

        - ``update_statement(name, stance="condemns", etag=s.etag)``: the
          keyword fields are set and form the update mask; or
        - ``update_statement(s, ["stance"])``: a Statement (e.g. one read
          with get_statement and changed) and the fields to take from it.
          It carries the etag it was read with, so the update applies only
          if nobody changed the statement since.

        ``etag`` overrides the message's etag (``""``: unconditional).
        Raises Aborted if the etag is not the current one.
        """
        statement, mask = _update(
            statement_pb2.Statement, "statements", statement, update_mask, etag, fields
        )
        request = statement_service_pb2.UpdateStatementRequest(
            statement=statement, update_mask=mask
        )
        return self._call(self._statements.UpdateStatement, request)

    def retract_statement(
        self, name: str, reason: str, *, etag: str | None = None
    ) -> statement_pb2.Statement:
        """Retracts a statement, keeping its record and history. With an
        ``etag``, only if it is still at that revision (else Aborted)."""
        request = statement_service_pb2.RetractStatementRequest(
            name=resource_name("statements", name), reason=reason, etag=etag or ""
        )
        return self._call(self._statements.RetractStatement, request)

    def list_statement_revisions(
        self, name: str, *, page_size: int = 0
    ) -> Iterator[statement_pb2.Statement]:
        """Iterates over a statement's history: the statement at each
        revision, oldest first."""
        request = statement_service_pb2.ListStatementRevisionsRequest(
            name=resource_name("statements", name), page_size=page_size
        )
        return self._pages(self._statements.ListStatementRevisions, request, "statements")

    def summarize_reactions(
        self,
        event: str,
        filter: str = "",
        *,
        as_of: TimeLike | None = None,
        timeline_interval: DurationLike | None = None,
    ) -> statement_service_pb2.SummarizeReactionsResponse:
        """The roll call of ``event`` (name or id): each actor's reaction,
        totals, and a roll-up per bloc; as the record stood at ``as_of`` if
        given; with one timeline point per ``timeline_interval`` (at least an
        hour) if given."""
        request = statement_service_pb2.SummarizeReactionsRequest(
            event=resource_name("events", event), filter=filter
        )
        if as_of is not None:
            request.as_of_time.CopyFrom(to_timestamp(as_of))
        if timeline_interval is not None:
            request.timeline_interval.CopyFrom(to_duration(timeline_interval))
        return self._call(self._statements.SummarizeReactions, request)

    def subscribe(
        self,
        filter: str = "",
        *,
        after_sequence: int | None = None,
        from_beginning: bool = False,
        start_time: TimeLike | None = None,
        heartbeat_interval: DurationLike | None = None,
        include_caught_up: bool = False,
        initial_backoff: float = 0.1,
        max_backoff: float = 0.75,
    ) -> Subscription:
        """Follows the changes to statements matching ``filter``.

        Start at most one of: ``after_sequence`` (resume after a sequence
        seen before), ``from_beginning`` (replay the whole log),
        ``start_time`` (changes committed at or after it); by default only
        changes committed from now on. The Subscription yields each
        ``StatementChange`` once, in sequence order, reconnecting after a
        server restart; see ``rollcall.subscribe`` (``initial_backoff`` and
        ``max_backoff``, in seconds, pace resubscriptions the server
        refuses; the channel options pace reconnections).
        """
        starts = [after_sequence is not None, from_beginning, start_time is not None]
        if sum(starts) > 1:
            raise ValueError("give at most one of after_sequence, from_beginning, start_time")
        request = statement_service_pb2.SubscribeStatementsRequest(filter=filter)
        if after_sequence is not None:
            request.after_sequence = after_sequence
        elif from_beginning:
            request.from_beginning = True
        elif start_time is not None:
            request.start_time.CopyFrom(to_timestamp(start_time))
        if heartbeat_interval is not None:
            request.heartbeat_interval.CopyFrom(to_duration(heartbeat_interval))
        subscription = Subscription(
            lambda r, wait_for_ready: self._statements.SubscribeStatements(
                r, metadata=self._metadata, wait_for_ready=wait_for_ready
            ),
            request,
            include_caught_up=include_caught_up,
            initial_backoff=initial_backoff,
            max_backoff=max_backoff,
        )
        self._subscriptions.add(subscription)
        return subscription

    def _metadata_for(self, token: str | None) -> Metadata:
        """The metadata of a call: ``token``'s if given, else the client's."""
        return auth_metadata(token) if token is not None else self._metadata

    def _call(
        self, rpc: Callable[..., M], request: message.Message, *, token: str | None = None
    ) -> M:
        """Makes a unary call (with ``token``, if given, instead of the
        client's), converting a failure into a RollcallError."""
        try:
            return rpc(request, timeout=self._timeout, metadata=self._metadata_for(token))
        except grpc.RpcError as error:
            raise from_rpc_error(error) from error

    def _pages(
        self,
        rpc: Callable[[Request], Any],
        request: Request,
        items: str,
        *,
        token: str | None = None,
    ) -> Iterator[Any]:
        """Yields the ``items`` of every page, following next_page_token."""
        while True:
            response = self._call(rpc, request, token=token)
            yield from getattr(response, items)
            if not response.next_page_token:
                return
            request.page_token = response.next_page_token  # type: ignore[attr-defined]


def _statement_request(item: StatementItem) -> statement_service_pb2.CreateStatementRequest:
    """The CreateStatementRequest of an item of add_statements or ingest."""
    request_id = None
    allow_duplicate = None
    if isinstance(item, tuple):
        if len(item) == 2:
            item, request_id = item
        elif len(item) == 3:
            item, request_id, allow_duplicate = item
        else:
            raise TypeError(
                "expected a (statement, request_id) pair or a (statement, request_id, "
                f"allow_duplicate) triple, got a tuple of {len(item)}"
            )
    if isinstance(item, statement_pb2.Statement):
        statement = item
    elif isinstance(item, Mapping):
        fields = dict(item)
        if "request_id" in fields:
            if request_id is not None:
                raise TypeError("request_id given both in the tuple and in the fields")
            request_id = fields.pop("request_id")
        if "allow_duplicate" in fields:
            if allow_duplicate is not None:
                raise TypeError("allow_duplicate given both in the tuple and in the fields")
            allow_duplicate = fields.pop("allow_duplicate")
        statement = build_message(statement_pb2.Statement, fields)
    else:
        raise TypeError(
            "expected a Statement, a dict of its fields or a (statement, request_id"
            f"[, allow_duplicate]) tuple, got {type(item).__name__}"
        )
    if allow_duplicate is not None and not isinstance(allow_duplicate, bool):
        raise TypeError(f"allow_duplicate must be a bool, got {type(allow_duplicate).__name__}")
    return statement_service_pb2.CreateStatementRequest(
        statement=statement, request_id=request_id or "", allow_duplicate=bool(allow_duplicate)
    )


def _update(
    message_class: type[M],
    collection: str,
    target: M | str,
    update_mask: Iterable[str] | None,
    etag: str | None,
    fields: dict[str, Any],
) -> tuple[M, field_mask_pb2.FieldMask]:
    """Builds the resource and mask of an Update request: from a message
    and a mask, or from a name and keyword fields (the mask defaults to the
    keywords)."""
    if isinstance(target, str):
        resource = build_message(message_class, fields)
        resource.name = resource_name(collection, target)  # type: ignore[attr-defined]
    elif fields:
        raise TypeError(f"pass a {message_class.__name__} or keyword fields, not both")
    else:
        resource = message_class()
        resource.CopyFrom(target)
    if etag is not None:
        resource.etag = etag  # type: ignore[attr-defined]
    paths = list(update_mask) if update_mask is not None else list(fields)
    if not paths:
        raise ValueError("nothing to update: give keyword fields or an update_mask")
    return resource, field_mask_pb2.FieldMask(paths=paths)
