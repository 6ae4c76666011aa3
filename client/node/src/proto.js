// Loads the Rollcall contract (.proto files) at runtime and converts
// messages between the shapes this package exposes (protobuf's JSON mapping)
// and the objects @grpc/proto-loader serializes.
//
// proto-loader options (fixed; the conversions below rely on them):
//   keepCase: false   fields in lowerCamelCase, as in protobuf JSON
//   longs: String     int64 fields as decimal strings (no precision loss)
//   enums: String     enum values by name, e.g. "STANCE_CONDEMNS"
//   defaults: true    absent scalars as their defaults, absent messages null
//   oneofs: true      a virtual field names the member of a oneof that is set

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as protoLoader from '@grpc/proto-loader';

export const LOADER_OPTIONS = Object.freeze({
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
});

const PROTO_FILES = [
  'rollcall/v1/statement_service.proto',
  'rollcall/v1/actor_service.proto',
  'rollcall/v1/event_service.proto',
  'rollcall/v1/draft_service.proto',
  'rollcall/v1/exchange.proto',
  'google/rpc/status.proto',
  'google/rpc/error_details.proto',
];

const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MARKER = 'rollcall/v1/statement_service.proto';

// Returns the directory holding rollcall/v1/*.proto: the given one, else
// $ROLLCALL_PROTO_DIR, else the copy bundled by `npm pack` (proto/), else the
// repository's proto/ folder (../../proto). A directory given explicitly (or
// by the variable) must have the files; throws if it or every default lacks them.
export function resolveProtoDir(explicitDir) {
  const chosen = explicitDir || process.env.ROLLCALL_PROTO_DIR;
  const candidates = chosen
    ? [chosen]
    : [path.join(PACKAGE_DIR, 'proto'), path.join(PACKAGE_DIR, '..', '..', 'proto')];
  for (const dir of candidates) {
    if (fs.existsSync(path.join(dir, MARKER))) return path.resolve(dir);
  }
  throw new Error(`rollcall: cannot find ${MARKER} in ${candidates.join(', ')}; ` +
    'pass the protoDir option or set ROLLCALL_PROTO_DIR to the repository\'s proto/ folder');
}

const cache = new Map();

// Loads (once per directory) the contract and returns a Schema over it.
export function loadSchema(protoDir) {
  const dir = resolveProtoDir(protoDir);
  if (!cache.has(dir)) {
    const definition = protoLoader.loadSync(PROTO_FILES, { ...LOADER_OPTIONS, includeDirs: [dir] });
    cache.set(dir, new Schema(definition));
  }
  return cache.get(dir);
}

const TIMESTAMP = 'google.protobuf.Timestamp';
const DURATION = 'google.protobuf.Duration';
const FIELD_MASK = 'google.protobuf.FieldMask';
const INT64_TYPES = new Set(['TYPE_INT64', 'TYPE_UINT64', 'TYPE_SINT64', 'TYPE_FIXED64', 'TYPE_SFIXED64']);

// The package definition plus per-message field tables, built lazily from the
// descriptors proto-loader keeps. Descriptor type names are relative to the
// message's scope, so they are resolved as protoc does: innermost scope first.
export class Schema {
  constructor(definition) {
    this.definition = definition;
    this.fieldTables = new Map();
  }

  // The service definition (method name → proto-loader MethodDefinition).
  service(fullName) {
    const service = this.definition[fullName];
    if (!service) throw new Error(`rollcall: service ${fullName} is not in the loaded protos`);
    return service;
  }

  // The proto-loader MessageTypeDefinition (with serialize/deserialize).
  messageType(fullName) {
    const type = this.definition[fullName];
    if (!type || !type.serialize) throw new Error(`rollcall: message ${fullName} is not in the loaded protos`);
    return type;
  }

  resolve(scope, typeName) {
    if (typeName.startsWith('.')) return typeName.slice(1);
    const parts = scope.split('.');
    for (let i = parts.length; i >= 0; i--) {
      const candidate = [...parts.slice(0, i), typeName].join('.');
      if (this.definition[candidate]) return candidate;
    }
    throw new Error(`rollcall: cannot resolve type ${typeName} in ${scope}`);
  }

  // field name → { name, kind, type, repeated, map, int64 } for a message.
  fields(fullName) {
    let table = this.fieldTables.get(fullName);
    if (table) return table;
    const descriptor = this.messageType(fullName).type;
    table = new Map();
    for (const field of descriptor.field) {
      table.set(field.name, this.describeField(fullName, descriptor, field));
    }
    this.fieldTables.set(fullName, table);
    return table;
  }

  describeField(scope, descriptor, field) {
    const info = {
      name: field.name,
      repeated: field.label === 'LABEL_REPEATED',
      map: false,
      kind: 'scalar',
      type: null,
      int64: INT64_TYPES.has(field.type),
    };
    if (field.type === 'TYPE_ENUM') {
      info.kind = 'enum';
      info.type = this.resolve(scope, field.typeName);
    } else if (field.type === 'TYPE_MESSAGE') {
      const entry = descriptor.nestedType.find((t) => t.name === field.typeName && t.options?.mapEntry);
      if (entry) {
        // A map: describe its values; keys are always strings or integers.
        const value = this.describeField(scope, descriptor, entry.field.find((f) => f.number === 2));
        return { ...value, name: field.name, repeated: false, map: true };
      }
      info.type = this.resolve(scope, field.typeName);
      info.kind = info.type === TIMESTAMP ? 'timestamp'
        : info.type === DURATION ? 'duration'
          : info.type === FIELD_MASK ? 'fieldmask' : 'message';
    }
    return info;
  }

  // Enum value names of an enum type, in declaration order.
  enumValues(fullName) {
    return this.definition[fullName].type.value.map((v) => v.name);
  }
}
