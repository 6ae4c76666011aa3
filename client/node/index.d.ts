// Type declarations for @rollcall/client (hand-written; the implementation
// is plain JavaScript in src/). Message shapes follow protobuf's JSON
// mapping of proto/rollcall/v1/*.proto:
//   - fields in lowerCamelCase;
//   - enums as their full names ("STANCE_CONDEMNS");
//   - int64 fields (revision, sequence, ...) as decimal strings;
//   - Timestamps as RFC 3339 strings in UTC ("2023-07-26T00:00:00Z");
//   - Durations as strings of seconds ("1.5s").
// Messages returned by the server have every field: scalars at their
// default ("" / 0 / false), repeated fields as [], absent messages as null.
// Inputs are looser: every field optional, enums in any of the accepted
// forms, times as strings, Dates or {seconds, nanos}, int64 as
// string | number | bigint.

import type { ChannelOptions, Metadata } from '@grpc/grpc-js';

// ---- Scalars ---------------------------------------------------------------

/** An int64 as a decimal string, e.g. "42". Use BigInt(x) to compute with it. */
export type Int64 = string;
/** An int64 input: a decimal string, a safe-integer number or a bigint. */
export type Int64Input = string | number | bigint;
/** RFC 3339 in UTC with 0, 3, 6 or 9 fractional digits. */
export type Timestamp = string;
/**
 * An RFC 3339 time ("2023-07-26T14:30:00Z", "2023-07-26T15:30:00+01:00"),
 * a date ("2023-07-26", midnight UTC), a Date, or {seconds, nanos}.
 */
export type TimestampInput = string | Date | { seconds: Int64Input; nanos?: number };
/** A duration as protobuf JSON writes it: "10s", "0.250s". */
export type Duration = string;
export type DurationInput = string | { seconds: Int64Input; nanos?: number };
/**
 * An enum input: the full name ("STANCE_CONDEMNS"), the name without its
 * prefix in any case ("CONDEMNS", "condemns") or with hyphens
 * ("demand-release"), or the number. Unknown names are rejected with an
 * InvalidArgumentError before the call is sent.
 */
export type EnumInput<T extends string> = T | (string & {}) | number;

// ---- Enums -----------------------------------------------------------------

export type Stance = 'STANCE_UNSPECIFIED' | 'STANCE_CONDEMNS' | 'STANCE_CRITICISES' | 'STANCE_CONCERNED'
  | 'STANCE_NEUTRAL' | 'STANCE_SUPPORTS';
/** An actor's position on an event, derived by the server (docs/API.md, "Positions on the event"). */
export type Position = 'POSITION_UNSPECIFIED' | 'POSITION_AGAINST' | 'POSITION_FOR' | 'POSITION_CONCERNED'
  | 'POSITION_NEUTRAL' | 'POSITION_UNCLEAR';
export type SideRole = 'SIDE_ROLE_UNSPECIFIED' | 'SIDE_ROLE_INITIATOR' | 'SIDE_ROLE_TARGET';

export interface EventSide {
  role: SideRole;
  /** "actors/{actor_id}". */
  actor: string;
}

export type Modality = 'MODALITY_UNSPECIFIED' | 'MODALITY_ASSERTED' | 'MODALITY_FUTURE' | 'MODALITY_HYPOTHETICAL'
  | 'MODALITY_NEGATED';
export type ActionKind = 'ACTION_KIND_UNSPECIFIED' | 'ACTION_KIND_CONDEMN' | 'ACTION_KIND_EXPRESS_CONCERN'
  | 'ACTION_KIND_DEMAND_RELEASE' | 'ACTION_KIND_CALL_FOR_DIALOGUE' | 'ACTION_KIND_OFFER_MEDIATION'
  | 'ACTION_KIND_MEDIATION_VISIT' | 'ACTION_KIND_THREATEN_FORCE' | 'ACTION_KIND_ULTIMATUM'
  | 'ACTION_KIND_IMPOSE_SANCTIONS' | 'ACTION_KIND_SUSPEND_MEMBERSHIP' | 'ACTION_KIND_SUSPEND_AID'
  | 'ACTION_KIND_CLOSE_BORDERS' | 'ACTION_KIND_EVACUATE_CITIZENS' | 'ACTION_KIND_RECOGNISE'
  | 'ACTION_KIND_REFUSE_RECOGNITION' | 'ACTION_KIND_OFFER_SUPPORT' | 'ACTION_KIND_OTHER';
export type SourceMedium = 'SOURCE_MEDIUM_UNSPECIFIED' | 'SOURCE_MEDIUM_WIRE' | 'SOURCE_MEDIUM_BROADCAST'
  | 'SOURCE_MEDIUM_SOCIAL_MEDIA' | 'SOURCE_MEDIUM_OFFICIAL_COMMUNIQUE' | 'SOURCE_MEDIUM_PRESS_CONFERENCE'
  | 'SOURCE_MEDIUM_INTERVIEW' | 'SOURCE_MEDIUM_NEWS_ARTICLE';
export type TimePrecision = 'TIME_PRECISION_UNSPECIFIED' | 'TIME_PRECISION_YEAR' | 'TIME_PRECISION_MONTH'
  | 'TIME_PRECISION_DAY' | 'TIME_PRECISION_HOUR' | 'TIME_PRECISION_MINUTE' | 'TIME_PRECISION_SECOND';
export type StatementState = 'STATEMENT_STATE_UNSPECIFIED' | 'STATEMENT_STATE_ACTIVE' | 'STATEMENT_STATE_RETRACTED';
export type ChangeKind = 'CHANGE_KIND_UNSPECIFIED' | 'CHANGE_KIND_CREATED' | 'CHANGE_KIND_UPDATED'
  | 'CHANGE_KIND_RETRACTED';
export type ActorKind = 'ACTOR_KIND_UNSPECIFIED' | 'ACTOR_KIND_STATE' | 'ACTOR_KIND_REGIONAL_BLOC'
  | 'ACTOR_KIND_INTERNATIONAL_ORGANISATION' | 'ACTOR_KIND_GOVERNMENT_BODY' | 'ACTOR_KIND_ARMED_FORCES'
  | 'ACTOR_KIND_POLITICAL_PARTY' | 'ACTOR_KIND_NON_STATE_GROUP' | 'ACTOR_KIND_PERSON';

// ---- Statements (statement.proto) ------------------------------------------

export interface Speaker {
  personName: string;
  office: string;
}

export interface Coding {
  scheme: string;
  codebookVersion: string;
  code: string;
  modes: string[];
  contexts: string[];
}

export interface Action {
  kind: ActionKind;
  /** Actor resource names, "actors/niger". */
  targets: string[];
  description: string;
  deadline: Timestamp | null;
  effectiveFrom: Timestamp | null;
  effectiveTo: Timestamp | null;
  codings: Coding[];
}

export interface Source {
  publisher: string;
  url: string;
  title: string;
  medium: SourceMedium;
  publishTime: Timestamp | null;
  retrieveTime: Timestamp | null;
  archiveUrl: string;
  excerpt: string;
}

export interface Retraction {
  reason: string;
  retractTime: Timestamp | null;
}

/** One actor's reaction to one event, as stored. */
export interface Statement {
  /** "statements/{statement_id}". */
  name: string;
  /** "events/{event_id}". */
  event: string;
  /** "actors/{actor_id}". */
  actor: string;
  speaker: Speaker | null;
  jointWith: string[];
  stance: Stance;
  stanceToward: string;
  modality: Modality;
  actions: Action[];
  quote: string;
  summary: string;
  language: string;
  issueTime: Timestamp | null;
  issueTimePrecision: TimePrecision;
  sources: Source[];
  labels: Record<string, string>;
  state: StatementState;
  retraction: Retraction | null;
  revision: Int64;
  etag: string;
  createTime: Timestamp | null;
  updateTime: Timestamp | null;
  sequence: Int64;
}

/** One entry of the commit log. */
export interface StatementChange {
  kind: ChangeKind;
  sequence: Int64;
  commitTime: Timestamp | null;
  /** The statement as it is after the change. */
  statement: Statement;
}

export interface SpeakerInput {
  personName?: string;
  office?: string;
}

export interface CodingInput {
  scheme?: string;
  codebookVersion?: string;
  code?: string;
  modes?: string[];
  contexts?: string[];
}

export interface ActionInput {
  kind?: EnumInput<ActionKind>;
  targets?: string[];
  description?: string;
  deadline?: TimestampInput | null;
  effectiveFrom?: TimestampInput | null;
  effectiveTo?: TimestampInput | null;
  codings?: CodingInput[];
}

export interface SourceInput {
  publisher?: string;
  url?: string;
  title?: string;
  medium?: EnumInput<SourceMedium>;
  publishTime?: TimestampInput | null;
  retrieveTime?: TimestampInput | null;
  archiveUrl?: string;
  excerpt?: string;
}

/**
 * A statement to record or correct. A Statement read from the server is
 * accepted as is (output-only fields are ignored on create).
 */
export interface StatementInput {
  name?: string;
  event?: string;
  actor?: string;
  speaker?: SpeakerInput | null;
  jointWith?: string[];
  stance?: EnumInput<Stance>;
  stanceToward?: string;
  modality?: EnumInput<Modality>;
  actions?: ActionInput[];
  quote?: string;
  summary?: string;
  language?: string;
  issueTime?: TimestampInput | null;
  issueTimePrecision?: EnumInput<TimePrecision>;
  sources?: SourceInput[];
  labels?: Record<string, string>;
  state?: EnumInput<StatementState>;
  retraction?: { reason?: string; retractTime?: TimestampInput | null } | null;
  revision?: Int64Input;
  etag?: string;
  createTime?: TimestampInput | null;
  updateTime?: TimestampInput | null;
  sequence?: Int64Input;
}

// ---- Actors and events -----------------------------------------------------

export interface ActorIdentifier {
  scheme: string;
  value: string;
}

export interface Membership {
  /** "actors/ecowas". */
  organisation: string;
  startTime: Timestamp | null;
  endTime: Timestamp | null;
}

export interface Actor {
  /** "actors/{actor_id}". */
  name: string;
  displayName: string;
  kind: ActorKind;
  countryCode: string;
  memberOf: Membership[];
  aliases: string[];
  identifiers: ActorIdentifier[];
  createTime: Timestamp | null;
  updateTime: Timestamp | null;
  etag: string;
}

export interface ActorInput {
  name?: string;
  displayName?: string;
  kind?: EnumInput<ActorKind>;
  countryCode?: string;
  memberOf?: { organisation?: string; startTime?: TimestampInput | null; endTime?: TimestampInput | null }[];
  aliases?: string[];
  identifiers?: { scheme?: string; value?: string }[];
  createTime?: TimestampInput | null;
  updateTime?: TimestampInput | null;
  etag?: string;
}

export interface Event {
  /** "events/{event_id}". */
  name: string;
  title: string;
  summary: string;
  countryCode: string;
  startTime: Timestamp | null;
  endTime: Timestamp | null;
  labels: Record<string, string>;
  createTime: Timestamp | null;
  updateTime: Timestamp | null;
  etag: string;
  /** Who carried the event out and whom it was carried out against. */
  sides: EventSide[];
}

export interface EventInput {
  name?: string;
  title?: string;
  summary?: string;
  countryCode?: string;
  startTime?: TimestampInput | null;
  endTime?: TimestampInput | null;
  labels?: Record<string, string>;
  createTime?: TimestampInput | null;
  updateTime?: TimestampInput | null;
  etag?: string;
  sides?: EventSide[];
}

// ---- Summaries (SummarizeReactions) ----------------------------------------

export interface StatementDigest {
  statement: string;
  issueTime: Timestamp | null;
  speaker: Speaker | null;
  excerpt: string;
  stance: Stance;
  stanceToward: string;
  position: Position;
  /** True: excerpt is the verbatim quote; false: the recorder's summary (never show it as a quotation). */
  excerptIsQuote: boolean;
}

export interface ActorReaction {
  actor: string;
  actorKind: ActorKind;
  latestStance: Stance;
  actions: ActionKind[];
  firstStatement: StatementDigest | null;
  latestStatement: StatementDigest | null;
  statementCount: number;
  stanceHistory: Stance[];
  position: Position;
  positionHistory: Position[];
  latestStanceToward: string;
}

export interface StanceCount {
  stance: Stance;
  actorCount: number;
}

export interface PositionCount {
  position: Position;
  actorCount: number;
}

export interface BlocRollup {
  bloc: string;
  blocStance: Stance;
  memberCount: number;
  memberStances: StanceCount[];
  silentMembers: string[];
  reactingMembers: string[];
  blocPosition: Position;
  memberPositions: PositionCount[];
}

export interface TimelinePoint {
  time: Timestamp | null;
  stanceTotals: StanceCount[];
  statementCount: number;
  positionTotals: PositionCount[];
}

export interface SummarizeReactionsResponse {
  event: string;
  asOfTime: Timestamp | null;
  reactions: ActorReaction[];
  stanceTotals: StanceCount[];
  actionTotals: { kind: ActionKind; actorCount: number }[];
  actorKindTotals: { kind: ActorKind; actorCount: number }[];
  blocs: BlocRollup[];
  timeline: TimelinePoint[];
  positionTotals: PositionCount[];
  eventSides: EventSide[];
}

// ---- Client ----------------------------------------------------------------

export interface TlsOptions {
  /** PEM root certificates; the system's if omitted. */
  rootCerts?: Buffer | null;
  /** PEM private key, for a client certificate. */
  privateKey?: Buffer | null;
  /** PEM certificate chain, for a client certificate. */
  certChain?: Buffer | null;
}

export interface ClientOptions {
  /** Sent as "authorization: Bearer <token>" on every call. */
  token?: string;
  /** Omitted: plaintext. true: TLS with the system roots. */
  tls?: TlsOptions | true;
  /** Deadline of each unary call (default 10000). */
  timeoutMs?: number;
  /** Extra attempts of idempotent calls on UNAVAILABLE (default 2). */
  retries?: number;
  /** Directory holding rollcall/v1/*.proto (default: $ROLLCALL_PROTO_DIR, the bundled copy, ../../proto). */
  protoDir?: string;
  /** grpc-js channel options, merged over the client's defaults. */
  channelOptions?: ChannelOptions;
}

export interface CallOptions {
  /** Deadline of this call, overriding ClientOptions.timeoutMs. */
  timeoutMs?: number;
  /** Aborting cancels the call; it then rejects with CancelledError. */
  signal?: AbortSignal;
  /** This call's token, overriding ClientOptions.token (a bridge forwarding its callers'). */
  token?: string;
}

/** A field mask: ["quote", "issueTime"], "quote,issueTime" or {paths}; camelCase or snake_case. */
export type UpdateMask = string[] | string | { paths: string[] };

export interface ListStatementsOptions extends CallOptions {
  /** A filter (syntax: StatementService in statement_service.proto). */
  filter?: string;
  /** Statements per page (0: the server's default of 50; at most 1000). */
  pageSize?: number;
  /** "issue_time" (default) or "issue_time desc". */
  orderBy?: string;
  showRetracted?: boolean;
  /** Start from this page token instead of the first page. */
  pageToken?: string;
}

export interface ListOptions extends CallOptions {
  filter?: string;
  pageSize?: number;
  pageToken?: string;
}

export interface Page {
  nextPageToken: string;
}

/**
 * An async iterable over every item of every page; pages are fetched as
 * they are consumed. Each page is one call (with retries on UNAVAILABLE).
 */
export declare class Pager<T, P extends Page = Page> implements AsyncIterable<T> {
  private constructor();
  [Symbol.asyncIterator](): AsyncIterator<T>;
  /** The raw responses, one per page, ending with the page whose nextPageToken is "". */
  pages(): AsyncGenerator<P, void, undefined>;
  /** Every item, in order. */
  toArray(): Promise<T[]>;
}

export interface ReconnectInfo {
  /** 1 for the first retry after a working stream broke, then 2, 3, ... */
  attempt: number;
  delayMs: number;
  error: RollcallError;
}

/**
 * How a subscription paces resubscriptions the server refuses (streams that
 * end before any response). A stream that delivered something, or that a
 * gracefully stopping server ended with "reconnect now", is followed after a
 * random jitter below initialMs; the channel's reconnect backoff
 * (grpc.*_reconnect_backoff_ms, default 100 to 750 ms) paces connection
 * attempts while the server is down.
 */
export interface BackoffOptions {
  /** First delay (default 100). */
  initialMs?: number;
  /** Longest delay (default 750). */
  maxMs?: number;
  /** Growth per attempt (default 2). */
  multiplier?: number;
  /** Random spread, as a fraction of the delay (default 0.2). */
  jitter?: number;
}

export interface SubscribeOptions {
  /** This subscription's token, overriding ClientOptions.token. */
  token?: string;
  /** A filter (same syntax as listStatements); "" matches everything. */
  filter?: string;
  /** Resume: only changes with a greater sequence. At most one of after, fromStart, since. */
  after?: Int64Input;
  /** Replay the whole log first. */
  fromStart?: boolean;
  /** Changes committed at or after this time. */
  since?: TimestampInput;
  /** Ask for a heartbeat on an idle stream this often (at least 100; default: the server's, 10 s). */
  heartbeatIntervalMs?: number;
  /** Aborting ends the iteration (without an error) and cancels the call. */
  signal?: AbortSignal;
  backoff?: BackoffOptions;
  /**
   * Consecutive failed reconnections before the error is thrown (default
   * Infinity: resubscriptions are wait-for-ready, waiting for the server's
   * return; with a finite value each fails at once on an unreachable server
   * and counts).
   */
  maxReconnects?: number;
  /** Called when the replay of stored changes ends, on every (re)connection. */
  onCaughtUp?: (headSequence: Int64) => void;
  /** Called for each heartbeat. */
  onHeartbeat?: (headSequence: Int64) => void;
  /** Called before waiting to reconnect after a transient error. */
  onReconnect?: (info: ReconnectInfo) => void;
}

/**
 * The changes to matching statements, in sequence order, each once, across
 * reconnections. Throws (from next()) the first error a retry cannot fix.
 */
export declare class Subscription implements AsyncIterableIterator<StatementChange> {
  private constructor();
  /** The resume point (every matching change up to it was yielded), or null before the server confirmed one. */
  readonly lastSequence: Int64 | null;
  next(): Promise<IteratorResult<StatementChange, undefined>>;
  /** Ends the subscription and cancels the call (`break` in for-await calls it). */
  return(value?: undefined): Promise<IteratorResult<StatementChange, undefined>>;
  throw(error?: unknown): Promise<IteratorResult<StatementChange, undefined>>;
  /** Ends the subscription from outside the loop; a pending next() resolves with done. */
  cancel(): void;
  [Symbol.asyncIterator](): Subscription;
}

/**
 * An item of addStatements and ingest: a statement, or one with the request id that makes
 * re-sending it safe and/or allowDuplicate (record it even if it is a near-duplicate).
 */
export type StatementItem = StatementInput | { statement: StatementInput; requestId?: string; allowDuplicate?: boolean };

export interface AddStatementOptions extends CallOptions {
  /** Makes a retry return the statement already recorded (generated if omitted). */
  requestId?: string;
  /**
   * Record the statement even if it is a near-duplicate of an active one (same actor and
   * event, issued within 24 h, near-identical quote); otherwise that is AlreadyExistsError.
   */
  allowDuplicate?: boolean;
}

/** The outcome of one ingested item: the statement as recorded (durable), or why it was not. */
export type IngestResult =
  | { /** The item's position in the input, from 0. */ index: number; statement: Statement; error?: undefined }
  | {
    index: number;
    /**
     * E.g. InvalidArgumentError with fieldViolations [{field: "request.statement.stance"}], or
     * AlreadyExistsError with the resourceName of the statement the item duplicates.
     */
    error: RollcallError;
    statement?: undefined;
  };

export interface IngestOptions {
  /** Aborting cancels the call; the loop then throws CancelledError. */
  signal?: AbortSignal;
  /** Deadline of the whole stream (default: none). */
  timeoutMs?: number;
}

export declare class Client {
  /** target: "host:port". */
  constructor(target: string, options?: ClientOptions);
  /** Closes the channel. */
  close(): void;

  /**
   * CreateStatement. A requestId (generated if omitted) makes retries record it once. A
   * near-duplicate of an active statement rejects with AlreadyExistsError (resourceName: the
   * existing statement) unless allowDuplicate is true.
   */
  addStatement(statement: StatementInput, options?: AddStatementOptions): Promise<Statement>;
  /**
   * BatchCreateStatements: up to 1000, atomically (all or none). A missing requestId is generated.
   * A rejected item fails the batch with an error naming it: "requests[3].statement.stance"; a
   * near-duplicate (of a stored or an earlier item) is AlreadyExistsError.
   */
  addStatements(items: StatementItem[], options?: CallOptions): Promise<Statement[]>;
  /**
   * IngestStatements: one result per item, in order; a rejected item does not end the stream.
   * The input is read as the call can take it; no requestId is generated. An input that throws
   * ends the stream after the results of the items before it, then its error is thrown.
   */
  ingest(items: Iterable<StatementItem> | AsyncIterable<StatementItem>, options?: IngestOptions):
    AsyncGenerator<IngestResult, void, undefined>;
  /** GetStatement; name is "statements/ID" or "ID". */
  getStatement(name: string, options?: CallOptions): Promise<Statement>;
  /** ListStatements, every page. */
  listStatements(options?: ListStatementsOptions): Pager<Statement, Page & { statements: Statement[] }>;
  /**
   * UpdateStatement: sets the fields in updateMask from statement (which
   * needs its name). With an etag (here or statement.etag) it applies only to
   * that revision, else rejects with AbortedError.
   */
  updateStatement(statement: StatementInput & { name: string }, updateMask: UpdateMask,
    options?: CallOptions & { etag?: string }): Promise<Statement>;
  /** RetractStatement. */
  retractStatement(name: string, reason: string, options?: CallOptions & { etag?: string }): Promise<Statement>;
  /** ListStatementRevisions: every revision, oldest first. */
  statementHistory(name: string, options?: CallOptions & { pageSize?: number; pageToken?: string }):
    Pager<Statement, Page & { statements: Statement[] }>;
  /** SummarizeReactions; event is "events/ID" or "ID". */
  summarizeReactions(event: string, options?: CallOptions & {
    filter?: string; asOfTime?: TimestampInput; timelineInterval?: DurationInput;
  }): Promise<SummarizeReactionsResponse>;
  /** SubscribeStatements, resumed across reconnections. */
  subscribe(options?: SubscribeOptions): Subscription;

  /** CreateActor; actorId like "ecowas". */
  addActor(actorId: string, actor: ActorInput, options?: CallOptions): Promise<Actor>;
  getActor(name: string, options?: CallOptions): Promise<Actor>;
  listActors(options?: ListOptions): Pager<Actor, Page & { actors: Actor[] }>;
  updateActor(actor: ActorInput & { name: string }, updateMask: UpdateMask,
    options?: CallOptions & { etag?: string }): Promise<Actor>;

  /** CreateEvent; eventId like "niger-coup-2023". */
  addEvent(eventId: string, event: EventInput, options?: CallOptions): Promise<Event>;
  getEvent(name: string, options?: CallOptions): Promise<Event>;
  listEvents(options?: ListOptions): Pager<Event, Page & { events: Event[] }>;
  updateEvent(event: EventInput & { name: string }, updateMask: UpdateMask,
    options?: CallOptions & { etag?: string }): Promise<Event>;

  // Drafts (draft_service.proto), in protobuf's JSON mapping.
  /** ExtractDrafts: reads a document ({text | html, url, title, publisher, publishTime, language}). */
  extractDrafts(event: string, document: Record<string, unknown>,
    options?: CallOptions & { validateOnly?: boolean }): Promise<{ document: any; drafts: any[]; alreadyExtracted: boolean }>;
  getDocument(name: string, options?: CallOptions): Promise<any>;
  getDraft(name: string, options?: CallOptions): Promise<any>;
  listDrafts(options?: ListOptions): Pager<any, Page & { drafts: any[] }>;
  /** AcceptDraft, with corrections: the fields of `statement` named in updateMask. */
  acceptDraft(name: string, options?: CallOptions & {
    statement?: Partial<StatementInput>; updateMask?: UpdateMask; etag?: string; allowDuplicate?: boolean;
  }): Promise<{ draft: any; statement: Statement }>;
  rejectDraft(name: string, reason: string, options?: CallOptions & { etag?: string }): Promise<any>;
  /** WatchDrafts: every matching draft, then caughtUp, then each change. */
  watchDrafts(options?: { filter?: string; signal?: AbortSignal; token?: string }):
    AsyncGenerator<{ drafts: any[]; caughtUp: boolean }, void, undefined>;
}

// ---- Errors ----------------------------------------------------------------

/** gRPC status codes by name. */
export declare const Code: Readonly<{
  OK: 0; CANCELLED: 1; UNKNOWN: 2; INVALID_ARGUMENT: 3; DEADLINE_EXCEEDED: 4; NOT_FOUND: 5;
  ALREADY_EXISTS: 6; PERMISSION_DENIED: 7; RESOURCE_EXHAUSTED: 8; FAILED_PRECONDITION: 9; ABORTED: 10;
  OUT_OF_RANGE: 11; UNIMPLEMENTED: 12; INTERNAL: 13; UNAVAILABLE: 14; DATA_LOSS: 15; UNAUTHENTICATED: 16;
}>;

export type CodeName = keyof typeof Code;

/** google.rpc.ResourceInfo: an existing resource a request conflicts with. */
export interface ResourceInfo {
  /** E.g. "type.googleapis.com/rollcall.v1.Statement". */
  resourceType: string;
  /** E.g. "statements/s4rgfkwjxna37sz4". */
  resourceName: string;
  owner: string;
  description: string;
}

export interface FieldViolation {
  /** Path to the field, e.g. "statement.stance" or "filter". */
  field: string;
  description: string;
}

/** Every failed call rejects with a RollcallError, an instance of the subclass for its code. */
export declare class RollcallError extends Error {
  constructor(code: number, details: string,
    options?: {
      fieldViolations?: FieldViolation[]; resourceInfo?: ResourceInfo | null; reconnectNow?: boolean;
      metadata?: Metadata | null; cause?: unknown;
    });
  /** The gRPC status code. */
  readonly code: number;
  /** Its name, e.g. "NOT_FOUND". */
  readonly codeName: CodeName | string;
  /** The server's message, e.g. "statement statements/abc not found". */
  readonly details: string;
  /** From a google.rpc.BadRequest in the grpc-status-details-bin trailer; [] if none. */
  readonly fieldViolations: FieldViolation[];
  /** From a google.rpc.ResourceInfo in the status details: the resource the request conflicts with; null if none. */
  readonly resourceInfo: ResourceInfo | null;
  /** resourceInfo.resourceName (e.g. "statements/s4rgfkwjxna37sz4"), or null. */
  readonly resourceName: string | null;
  /**
   * True when the status carries a google.rpc.RetryInfo with a zero delay: the
   * server is shutting down gracefully and asks to be reconnected to at once
   * (another instance, or this one once it is back) rather than backed off from.
   */
  readonly reconnectNow: boolean;
  /** The call's trailers, or null for errors raised before sending. */
  readonly metadata: Metadata | null;
}

export declare class CancelledError extends RollcallError {}
export declare class UnknownError extends RollcallError {}
export declare class InvalidArgumentError extends RollcallError {}
export declare class DeadlineExceededError extends RollcallError {}
export declare class NotFoundError extends RollcallError {}
/**
 * The actor or event id is taken, or the statement is a near-duplicate of an active one;
 * resourceName is then the existing statement's name.
 */
export declare class AlreadyExistsError extends RollcallError {}
export declare class PermissionDeniedError extends RollcallError {}
export declare class ResourceExhaustedError extends RollcallError {}
export declare class FailedPreconditionError extends RollcallError {}
/** An update or retraction whose etag is no longer current: read again and retry. */
export declare class AbortedError extends RollcallError {}
export declare class OutOfRangeError extends RollcallError {}
export declare class UnimplementedError extends RollcallError {}
export declare class InternalError extends RollcallError {}
export declare class UnavailableError extends RollcallError {}
export declare class DataLossError extends RollcallError {}
export declare class UnauthenticatedError extends RollcallError {}

// ---- Helpers ---------------------------------------------------------------

/** Converts a TimestampInput to the {seconds, nanos} sent on the wire. */
export declare function toTimestamp(value: TimestampInput, path?: string): { seconds: Int64; nanos: number };
/** {seconds, nanos} → RFC 3339 string in UTC. */
export declare function formatTimestamp(value: { seconds: Int64Input; nanos: number }): Timestamp;
export declare function toDuration(value: DurationInput, path?: string): { seconds: Int64; nanos: number };
export declare function formatDuration(value: { seconds: Int64Input; nanos: number }): Duration;
/** The directory the protos are loaded from (see ClientOptions.protoDir). */
export declare function resolveProtoDir(explicitDir?: string): string;
/** The @grpc/proto-loader options this package loads the protos with. */
export declare const LOADER_OPTIONS: Readonly<{
  keepCase: false; longs: StringConstructor; enums: StringConstructor; defaults: true; oneofs: true;
}>;
