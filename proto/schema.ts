/**
 * The project's protobuf schemas (proto/*.proto, embedded as JSON descriptors) and a
 * deterministic encoder for plain objects.
 *
 * Objects use the .proto field names exactly (keepCase). The encoder writes what Go writes:
 * fields in field-number order (optionally with oneof members after the regular fields, the
 * order of google.golang.org/protobuf), proto3 default scalars left out, present sub-messages
 * written even when empty, map entries sorted bytewise by key with both key and value written,
 * numeric repeated fields packed. A oneof member is written whenever its property is set.
 */
import * as protobuf from 'protobufjs/light';
import { protoDescriptorsJson } from './descriptors';

/** Where oneof members go: in field-number order (gogo, BuildKit <= 0.16) or after the other fields. */
export type FieldOrder = 'number' | 'oneofLast';

let cachedRoot: protobuf.Root | undefined;

/** The schema root, built once on first use. */
export function protoRoot(): protobuf.Root {
  if (!cachedRoot) cachedRoot = protobuf.Root.fromJSON(JSON.parse(protoDescriptorsJson));
  return cachedRoot;
}

const typeCache = new Map<string, protobuf.Type>();

export function messageType(fullName: string): protobuf.Type {
  let type = typeCache.get(fullName);
  if (!type) {
    type = protoRoot().lookupType(fullName);
    typeCache.set(fullName, type);
  }
  return type;
}

// ---------------------------------------------------------------------------------------------
// Encoding plans: the field list of a type, resolved once per (type, order).

type WireKind = 0 | 1 | 2 | 5;

const SCALAR_WIRE: Record<string, WireKind> = {
  double: 1, float: 5, int32: 0, uint32: 0, sint32: 0, fixed32: 5, sfixed32: 5,
  int64: 0, uint64: 0, sint64: 0, fixed64: 1, sfixed64: 1, bool: 0, string: 2, bytes: 2,
};

interface FieldPlan {
  name: string;
  id: number;
  repeated: boolean;
  inOneof: boolean;
  /** Scalar type name ('int32', 'string', ...), 'enum', or 'message'. */
  kind: string;
  message?: protobuf.Type;
  map?: { keyType: string; value: Omit<FieldPlan, 'name' | 'id' | 'repeated' | 'inOneof' | 'map'> };
}

const plans = new Map<protobuf.Type, Map<FieldOrder, FieldPlan[]>>();

function valueKind(field: protobuf.Field | protobuf.MapField): Pick<FieldPlan, 'kind' | 'message'> {
  const resolved = field.resolve().resolvedType;
  if (resolved instanceof protobuf.Type) return { kind: 'message', message: resolved };
  if (resolved instanceof protobuf.Enum) return { kind: 'enum' };
  if (!(field.type in SCALAR_WIRE)) throw new Error(`unsupported field type ${field.type}`);
  return { kind: field.type };
}

function planFor(type: protobuf.Type, order: FieldOrder): FieldPlan[] {
  let byOrder = plans.get(type);
  if (!byOrder) plans.set(type, (byOrder = new Map()));
  let plan = byOrder.get(order);
  if (plan) return plan;
  plan = type.fieldsArray.map((field) => {
    const base = { name: field.name, id: field.id, repeated: field.repeated, inOneof: field.partOf !== null };
    if (field instanceof protobuf.MapField) {
      return { ...base, kind: 'map', repeated: false, map: { keyType: field.keyType, value: valueKind(field) } };
    }
    return { ...base, ...valueKind(field) };
  });
  plan.sort((a, b) => {
    if (order === 'oneofLast' && a.inOneof !== b.inOneof) return a.inOneof ? 1 : -1;
    return a.id - b.id;
  });
  byOrder.set(order, plan);
  return plan;
}

// ---------------------------------------------------------------------------------------------
// Encoding

function wireOf(kind: string): WireKind {
  if (kind === 'message') return 2;
  if (kind === 'enum') return 0;
  return SCALAR_WIRE[kind];
}

function isDefaultScalar(kind: string, value: unknown): boolean {
  if (kind === 'string') return value === '';
  if (kind === 'bool') return value === false;
  if (kind === 'bytes') return (value as Uint8Array).length === 0;
  return value === 0 || value === 0n;
}

/** A bigint as the {low, high} pair protobufjs' Writer accepts for 64-bit fields. */
function longBits(value: bigint): { low: number; high: number; unsigned: boolean } {
  const bits = BigInt.asUintN(64, value);
  return { low: Number(bits & 0xffffffffn) | 0, high: Number(bits >> 32n) | 0, unsigned: false };
}

function writeScalar(writer: protobuf.Writer, kind: string, value: unknown): void {
  if (kind === 'enum') {
    writer.int32(value as number);
    return;
  }
  const v = typeof value === 'bigint' ? longBits(value) : value;
  (writer as unknown as Record<string, (v: unknown) => void>)[kind](v);
}

function writeValue(
  writer: protobuf.Writer,
  id: number,
  kind: string,
  message: protobuf.Type | undefined,
  value: unknown,
  order: FieldOrder,
): void {
  writer.uint32((id << 3) | wireOf(kind));
  if (kind === 'message') {
    writer.fork();
    writeFields(writer, message!, value as Record<string, unknown>, order);
    writer.ldelim();
  } else {
    writeScalar(writer, kind, value);
  }
}

/** Map entries in bytewise key order (UTF-8), which is Go's sort.Strings order. */
function sortedEntries(value: unknown): [string, unknown][] {
  const entries: [string, unknown][] = value instanceof Map ? [...value.entries()] : Object.entries(value as object);
  return entries
    .map(([key, v]) => [Buffer.from(key, 'utf8'), key, v] as const)
    .sort((a, b) => Buffer.compare(a[0], b[0]))
    .map(([, key, v]) => [key, v]);
}

function writeFields(writer: protobuf.Writer, type: protobuf.Type, object: Record<string, unknown>, order: FieldOrder): void {
  for (const field of planFor(type, order)) {
    const value = object[field.name];
    if (value === undefined || value === null) continue;
    if (field.map) {
      if (field.map.keyType !== 'string') throw new Error(`map key type ${field.map.keyType} is not supported`);
      for (const [key, entryValue] of sortedEntries(value)) {
        writer.uint32((field.id << 3) | 2).fork();
        writer.uint32((1 << 3) | 2).string(key);
        writeValue(writer, 2, field.map.value.kind, field.map.value.message, entryValue, order);
        writer.ldelim();
      }
    } else if (field.repeated) {
      const items = value as unknown[];
      if (items.length === 0) continue;
      if (field.kind !== 'message' && field.kind !== 'string' && field.kind !== 'bytes') {
        writer.uint32((field.id << 3) | 2).fork();
        for (const item of items) writeScalar(writer, field.kind, item);
        writer.ldelim();
      } else {
        for (const item of items) writeValue(writer, field.id, field.kind, field.message, item, order);
      }
    } else if (field.kind === 'message' || field.inOneof || !isDefaultScalar(field.kind, value)) {
      writeValue(writer, field.id, field.kind, field.message, value, order);
    }
  }
}

/** Encodes a plain object as message `typeName`, deterministically (see the file comment). */
export function encodeMessage(typeName: string, object: object, order: FieldOrder = 'number'): Uint8Array {
  const writer = protobuf.Writer.create();
  writeFields(writer, messageType(typeName), object as Record<string, unknown>, order);
  return writer.finish();
}

// ---------------------------------------------------------------------------------------------
// Decoding

const DECODE_OPTIONS: protobuf.IConversionOptions = { longs: Number, enums: Number, arrays: true, objects: true, defaults: false };

/**
 * Decodes `bytes` as `typeName` into a plain object: int64 as number, enums as numbers,
 * bytes as Uint8Array, absent repeated/map fields as []/{} and other absent fields undefined.
 */
export function decodeMessage<T = Record<string, unknown>>(typeName: string, bytes: Uint8Array): T {
  const type = messageType(typeName);
  return type.toObject(type.decode(bytes), DECODE_OPTIONS) as T;
}
