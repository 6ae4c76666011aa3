// Converts between the message shapes of this package — protobuf's JSON
// mapping: lowerCamelCase fields, enum names, int64 as decimal strings,
// Timestamps as RFC 3339 strings, Durations as "1.5s" — and the objects
// proto-loader serializes. Conversions follow the schema, so a value is
// changed only where the field's type calls for it.

import { InvalidArgumentError, Code } from './errors.js';

function invalid(field, description) {
  return new InvalidArgumentError(Code.INVALID_ARGUMENT, `${field}: ${description}`, {
    fieldViolations: [{ field, description }],
  });
}

export function toCamelCase(name) {
  return name.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
}

export function toSnakeCase(name) {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

// Converts a message given by a caller into what proto-loader serializes.
// Accepts snake_case keys too; throws InvalidArgumentError (naming the
// field) for an unknown field, a bad enum value, time or duration.
export function toWire(schema, typeName, message, path = '') {
  if (message === null || message === undefined) return message;
  if (typeof message !== 'object' || Array.isArray(message)) {
    throw invalid(path || typeName, `expected an object (${typeName})`);
  }
  const fields = schema.fields(typeName);
  const oneofs = schema.messageType(typeName).type.oneofDecl.map((o) => o.name);
  const wire = {};
  for (const [key, value] of Object.entries(message)) {
    const field = fields.get(key) ?? fields.get(toCamelCase(key));
    const fieldPath = path ? `${path}.${key}` : key;
    if (!field) {
      if (oneofs.includes(key)) continue; // The virtual oneof field of a message read back.
      throw invalid(fieldPath, `no such field in ${typeName}`);
    }
    if (value === null || value === undefined) continue;
    if (field.repeated) {
      if (!Array.isArray(value)) throw invalid(fieldPath, 'expected an array');
      wire[field.name] = value.map((item, i) => toWireValue(schema, field, item, `${fieldPath}[${i}]`));
    } else if (field.map) {
      wire[field.name] = Object.fromEntries(Object.entries(value).map(
        ([k, item]) => [k, toWireValue(schema, field, item, `${fieldPath}.${k}`)]));
    } else {
      wire[field.name] = toWireValue(schema, field, value, fieldPath);
    }
  }
  return wire;
}

function toWireValue(schema, field, value, path) {
  switch (field.kind) {
    case 'timestamp': return toTimestamp(value, path);
    case 'duration': return toDuration(value, path);
    case 'fieldmask': return toFieldMask(value, path);
    case 'message': return toWire(schema, field.type, value, path);
    case 'enum': return toEnum(schema, field.type, value, path);
    default:
      if (field.int64 && typeof value === 'bigint') return value.toString();
      return value;
  }
}

// Converts a deserialized message in place to this package's shapes.
export function fromWire(schema, typeName, message) {
  if (message === null || message === undefined) return message;
  for (const field of schema.fields(typeName).values()) {
    const value = message[field.name];
    if (field.kind === 'scalar' || field.kind === 'enum' || value === null || value === undefined) continue;
    const convert = (item) => fromWireValue(schema, field, item);
    if (field.repeated) {
      message[field.name] = value.map(convert);
    } else if (field.map) {
      for (const key of Object.keys(value)) value[key] = convert(value[key]);
    } else {
      message[field.name] = convert(value);
    }
  }
  return message;
}

function fromWireValue(schema, field, value) {
  switch (field.kind) {
    case 'timestamp': return formatTimestamp(value);
    case 'duration': return formatDuration(value);
    case 'fieldmask': return value.paths.map(toCamelCase).join(',');
    default: return fromWire(schema, field.type, value);
  }
}

// Short, lower-case, hyphenated form of an enum value: STANCE_CONDEMNS with
// prefix STANCE_ is "condemns".
function shortEnumName(name, prefix) {
  return name.slice(prefix.length).toLowerCase().replace(/_/g, '-');
}

// Accepts the full name (STANCE_CONDEMNS), the name without the prefix
// (CONDEMNS, condemns) or the CLI's form (demand-release), or a number.
export function toEnum(schema, enumType, value, path) {
  if (typeof value === 'number') return value;
  const names = schema.enumValues(enumType);
  const prefix = names[0].replace(/UNSPECIFIED$/, '');
  if (typeof value === 'string') {
    if (names.includes(value)) return value;
    const upper = value.toUpperCase().replace(/-/g, '_');
    if (names.includes(upper)) return upper;
    if (names.includes(prefix + upper)) return prefix + upper;
  }
  const allowed = names.slice(1).map((n) => shortEnumName(n, prefix)).join(', ');
  throw invalid(path, `invalid value ${JSON.stringify(value)}; expected one of: ${allowed}`);
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2}))?$/;

// A Timestamp from an RFC 3339 string, a date ("2023-07-26", midnight UTC),
// a Date, or {seconds, nanos}.
export function toTimestamp(value, path = 'timestamp') {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw invalid(path, 'invalid Date');
    const seconds = Math.floor(ms / 1000);
    return { seconds: String(seconds), nanos: (ms - seconds * 1000) * 1e6 };
  }
  if (typeof value === 'string') {
    const m = RFC3339.exec(value);
    if (!m) throw invalid(path, `${JSON.stringify(value)} is not an RFC 3339 time (2023-07-26T14:30:00Z) or a date`);
    const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone = 'Z'] = m;
    const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    const check = new Date(ms);
    if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1 || Number(h) > 23 ||
        Number(mi) > 59 || Number(s) > 59) {
      throw invalid(path, `${JSON.stringify(value)} is not a valid time`);
    }
    let offsetMinutes = 0;
    if (zone.toUpperCase() !== 'Z') {
      const sign = zone[0] === '-' ? -1 : 1;
      offsetMinutes = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
    }
    const seconds = ms / 1000 - offsetMinutes * 60;
    return { seconds: String(seconds), nanos: Number(fraction.padEnd(9, '0')) };
  }
  if (value && typeof value === 'object' && 'seconds' in value) {
    return { seconds: String(value.seconds), nanos: Number(value.nanos ?? 0) };
  }
  throw invalid(path, 'expected an RFC 3339 string, a Date or {seconds, nanos}');
}

// RFC 3339 in UTC with 0, 3, 6 or 9 fractional digits, as protobuf JSON has it.
export function formatTimestamp({ seconds, nanos }) {
  const base = new Date(Number(seconds) * 1000).toISOString().slice(0, -5); // drop ".000Z"
  return `${base}${formatNanos(nanos)}Z`;
}

function formatNanos(nanos) {
  if (!nanos) return '';
  let digits = String(Math.abs(nanos)).padStart(9, '0');
  while (digits.length > 3 && digits.endsWith('000')) digits = digits.slice(0, -3);
  return `.${digits}`;
}

const DURATION = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/;

// A Duration from a string ("1.5s", "10s") or {seconds, nanos}.
export function toDuration(value, path = 'duration') {
  if (typeof value === 'string') {
    const m = DURATION.exec(value);
    if (!m) throw invalid(path, `${JSON.stringify(value)} is not a duration like "1.5s"`);
    const sign = m[1] ? -1 : 1;
    const nanos = Number((m[3] ?? '').padEnd(9, '0'));
    return { seconds: `${m[1] ?? ''}${m[2]}`, nanos: sign * nanos };
  }
  if (value && typeof value === 'object' && 'seconds' in value) {
    return { seconds: String(value.seconds), nanos: Number(value.nanos ?? 0) };
  }
  throw invalid(path, 'expected a duration string like "1.5s" or {seconds, nanos}');
}

export function formatDuration({ seconds, nanos }) {
  const negative = String(seconds).startsWith('-') || nanos < 0;
  const whole = String(seconds).replace(/^-/, '');
  return `${negative ? '-' : ''}${whole}${formatNanos(nanos)}s`;
}

// milliseconds → Duration.
export function durationFromMs(ms) {
  const seconds = Math.floor(ms / 1000);
  return { seconds: String(seconds), nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

// A FieldMask from ["issueTime", "quote"], "issueTime,quote" or {paths}.
// Paths may be camelCase or snake_case; they are sent in snake_case.
export function toFieldMask(value, path = 'updateMask') {
  let paths = value;
  if (typeof value === 'string') paths = value.split(',').filter(Boolean);
  else if (value && !Array.isArray(value) && Array.isArray(value.paths)) paths = value.paths;
  if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string')) {
    throw invalid(path, 'expected an array of field paths');
  }
  return { paths: paths.map((p) => toSnakeCase(p.trim())) };
}
