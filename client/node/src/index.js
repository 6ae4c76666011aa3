// @rollcall/client: a Node.js client for rollcalld.

export { Client } from './client.js';
export { Pager } from './pager.js';
export { Subscription } from './subscription.js';
export {
  Code,
  RollcallError,
  CancelledError,
  UnknownError,
  InvalidArgumentError,
  DeadlineExceededError,
  NotFoundError,
  AlreadyExistsError,
  PermissionDeniedError,
  ResourceExhaustedError,
  FailedPreconditionError,
  AbortedError,
  OutOfRangeError,
  UnimplementedError,
  InternalError,
  UnavailableError,
  DataLossError,
  UnauthenticatedError,
} from './errors.js';
export { toTimestamp, formatTimestamp, toDuration, formatDuration } from './convert.js';
export { resolveProtoDir, LOADER_OPTIONS } from './proto.js';
