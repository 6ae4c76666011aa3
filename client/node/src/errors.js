// Typed errors: every failed call rejects with a RollcallError (or the
// subclass for its gRPC status code) carrying the code, the server's message
// and, when the server named the offending fields, their violations; when
// it named an existing resource the request conflicts with (a
// google.rpc.ResourceInfo: ALREADY_EXISTS for a near-duplicate statement),
// that resource.

const CODE_NAMES = Object.freeze({
  0: 'OK',
  1: 'CANCELLED',
  2: 'UNKNOWN',
  3: 'INVALID_ARGUMENT',
  4: 'DEADLINE_EXCEEDED',
  5: 'NOT_FOUND',
  6: 'ALREADY_EXISTS',
  7: 'PERMISSION_DENIED',
  8: 'RESOURCE_EXHAUSTED',
  9: 'FAILED_PRECONDITION',
  10: 'ABORTED',
  11: 'OUT_OF_RANGE',
  12: 'UNIMPLEMENTED',
  13: 'INTERNAL',
  14: 'UNAVAILABLE',
  15: 'DATA_LOSS',
  16: 'UNAUTHENTICATED',
});

// The gRPC status codes by name, e.g. Code.NOT_FOUND === 5.
export const Code = Object.freeze(Object.fromEntries(
  Object.entries(CODE_NAMES).map(([number, name]) => [name, Number(number)])));

export class RollcallError extends Error {
  // code: gRPC status number; details: the server's message;
  // fieldViolations: [{field, description}] from a google.rpc.BadRequest;
  // resourceInfo: {resourceType, resourceName, owner, description} from a
  // google.rpc.ResourceInfo, or null; reconnectNow: true when the server
  // asked for an immediate reconnection (a zero google.rpc.RetryInfo, sent
  // when it shuts down gracefully); metadata: the trailers (a grpc Metadata)
  // when the error came from a call.
  constructor(code, details, { fieldViolations = [], resourceInfo = null, reconnectNow = false, metadata = null, cause } = {}) {
    const codeName = CODE_NAMES[code] ?? `CODE_${code}`;
    super(details ? `${codeName}: ${details}` : codeName, cause === undefined ? undefined : { cause });
    this.name = new.target.name;
    this.code = code;
    this.codeName = codeName;
    this.details = details;
    this.fieldViolations = fieldViolations;
    this.resourceInfo = resourceInfo;
    this.reconnectNow = reconnectNow;
    this.metadata = metadata;
  }

  // The name of the resource the request conflicts with
  // ("statements/s4rgfkwjxna37sz4"), or null.
  get resourceName() {
    return this.resourceInfo?.resourceName || null;
  }
}

export class CancelledError extends RollcallError {}
export class UnknownError extends RollcallError {}
export class InvalidArgumentError extends RollcallError {}
export class DeadlineExceededError extends RollcallError {}
export class NotFoundError extends RollcallError {}
// ALREADY_EXISTS: the actor or event id is taken, or the statement is a
// near-duplicate of an active one (same actor and event, issued within 24 h,
// near-identical quote); resourceName is then the existing statement's name.
// addStatement(statement, { allowDuplicate: true }) records it anyway.
export class AlreadyExistsError extends RollcallError {}
export class PermissionDeniedError extends RollcallError {}
export class ResourceExhaustedError extends RollcallError {}
export class FailedPreconditionError extends RollcallError {}
// ABORTED: an update or retraction carried an etag that is no longer current.
export class AbortedError extends RollcallError {}
export class OutOfRangeError extends RollcallError {}
export class UnimplementedError extends RollcallError {}
export class InternalError extends RollcallError {}
export class UnavailableError extends RollcallError {}
export class DataLossError extends RollcallError {}
export class UnauthenticatedError extends RollcallError {}

const CLASSES = {
  1: CancelledError,
  2: UnknownError,
  3: InvalidArgumentError,
  4: DeadlineExceededError,
  5: NotFoundError,
  6: AlreadyExistsError,
  7: PermissionDeniedError,
  8: ResourceExhaustedError,
  9: FailedPreconditionError,
  10: AbortedError,
  11: OutOfRangeError,
  12: UnimplementedError,
  13: InternalError,
  14: UnavailableError,
  15: DataLossError,
  16: UnauthenticatedError,
};

// Makes the RollcallError subclass for a code.
export function makeError(code, details, options) {
  const ErrorClass = CLASSES[code] ?? RollcallError;
  return new ErrorClass(code, details, options);
}

const BAD_REQUEST_TYPE = 'type.googleapis.com/google.rpc.BadRequest';
const RESOURCE_INFO_TYPE = 'type.googleapis.com/google.rpc.ResourceInfo';
const RETRY_INFO_TYPE = 'type.googleapis.com/google.rpc.RetryInfo';

// Converts a grpc-js ServiceError into a RollcallError, decoding the
// google.rpc.Status in the grpc-status-details-bin trailer if there is one.
export function fromServiceError(error, schema) {
  if (error instanceof RollcallError) return error;
  const code = typeof error.code === 'number' ? error.code : Code.UNKNOWN;
  const details = error.details ?? error.message;
  const metadata = error.metadata ?? null;
  const status = decodeStatus(metadata, schema);
  return makeError(code, details, {
    fieldViolations: status ? statusFieldViolations(status, schema) : [],
    resourceInfo: status ? statusResourceInfo(status, schema) : null,
    reconnectNow: status ? statusAsksToReconnectNow(status, schema) : false,
    metadata,
    cause: error,
  });
}

// Converts a google.rpc.Status received as data (the error of one
// IngestStatements item) into a RollcallError.
export function fromStatus(status, schema) {
  return makeError(status.code, status.message, {
    fieldViolations: statusFieldViolations(status, schema),
    resourceInfo: statusResourceInfo(status, schema),
  });
}

// The google.rpc.Status of the grpc-status-details-bin trailer, or null.
function decodeStatus(metadata, schema) {
  const encoded = metadata?.get('grpc-status-details-bin')?.[0];
  if (!Buffer.isBuffer(encoded)) return null;
  try {
    return schema.messageType('google.rpc.Status').deserialize(encoded);
  } catch {
    return null; // A malformed trailer must not hide the error itself.
  }
}

// The details of a Status with the given type URL, decoded.
function statusDetails(status, schema, typeUrl, typeName) {
  const type = schema.messageType(typeName);
  return (status.details ?? [])
    // protobufjs's Any wrapper keeps the proto name type_url.
    .filter((any) => (any.typeUrl ?? any.type_url) === typeUrl)
    .map((any) => type.deserialize(any.value));
}

// The field violations of the google.rpc.BadRequest details of a Status.
function statusFieldViolations(status, schema) {
  try {
    return statusDetails(status, schema, BAD_REQUEST_TYPE, 'google.rpc.BadRequest')
      .flatMap((badRequest) => badRequest.fieldViolations)
      .map(({ field, description }) => ({ field, description }));
  } catch {
    return []; // Malformed details must not hide the error itself.
  }
}

// The first google.rpc.ResourceInfo detail of a Status, or null.
function statusResourceInfo(status, schema) {
  try {
    const [info] = statusDetails(status, schema, RESOURCE_INFO_TYPE, 'google.rpc.ResourceInfo');
    if (!info) return null;
    const { resourceType, resourceName, owner, description } = info;
    return { resourceType, resourceName, owner, description };
  } catch {
    return null; // Malformed details must not hide the error itself.
  }
}

// True if a Status carries a google.rpc.RetryInfo with a zero retry_delay:
// the server is shutting down gracefully and asks its subscribers to
// reconnect now rather than back off.
function statusAsksToReconnectNow(status, schema) {
  try {
    const [info] = statusDetails(status, schema, RETRY_INFO_TYPE, 'google.rpc.RetryInfo');
    if (!info) return false;
    const delay = info.retryDelay;
    return !delay || (Number(delay.seconds ?? 0) === 0 && Number(delay.nanos ?? 0) === 0);
  } catch {
    return false; // Malformed details must not hide the error itself.
  }
}

// Codes on which a call that changed nothing may be tried again.
export function isTransient(code) {
  return code === Code.UNAVAILABLE || code === Code.RESOURCE_EXHAUSTED;
}
