// Typed errors: every failed call rejects with a RollcallError (or the
// subclass for its gRPC status code) carrying the code, the server's message
// and, when the server named the offending fields, their violations.

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
  // metadata: the trailers (a grpc Metadata) when the error came from a call.
  constructor(code, details, { fieldViolations = [], metadata = null, cause } = {}) {
    const codeName = CODE_NAMES[code] ?? `CODE_${code}`;
    super(details ? `${codeName}: ${details}` : codeName, cause === undefined ? undefined : { cause });
    this.name = new.target.name;
    this.code = code;
    this.codeName = codeName;
    this.details = details;
    this.fieldViolations = fieldViolations;
    this.metadata = metadata;
  }
}

export class CancelledError extends RollcallError {}
export class UnknownError extends RollcallError {}
export class InvalidArgumentError extends RollcallError {}
export class DeadlineExceededError extends RollcallError {}
export class NotFoundError extends RollcallError {}
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

// Converts a grpc-js ServiceError into a RollcallError, decoding the
// google.rpc.Status in the grpc-status-details-bin trailer if there is one.
export function fromServiceError(error, schema) {
  if (error instanceof RollcallError) return error;
  const code = typeof error.code === 'number' ? error.code : Code.UNKNOWN;
  const details = error.details ?? error.message;
  const metadata = error.metadata ?? null;
  return makeError(code, details, {
    fieldViolations: decodeFieldViolations(metadata, schema),
    metadata,
    cause: error,
  });
}

function decodeFieldViolations(metadata, schema) {
  const encoded = metadata?.get('grpc-status-details-bin')?.[0];
  if (!Buffer.isBuffer(encoded)) return [];
  try {
    const status = schema.messageType('google.rpc.Status').deserialize(encoded);
    const badRequest = schema.messageType('google.rpc.BadRequest');
    return status.details
      // protobufjs's Any wrapper keeps the proto name type_url.
      .filter((any) => (any.typeUrl ?? any.type_url) === BAD_REQUEST_TYPE)
      .flatMap((any) => badRequest.deserialize(any.value).fieldViolations)
      .map(({ field, description }) => ({ field, description }));
  } catch {
    return []; // A malformed trailer must not hide the error itself.
  }
}

// Codes on which a call that changed nothing may be tried again.
export function isTransient(code) {
  return code === Code.UNAVAILABLE || code === Code.RESOURCE_EXHAUSTED;
}
