/**
 * LLB definitions as deterministic JSON for people and diffs: every op once, keyed by its digest
 * (decoded from the marshaled bytes, so it is exactly what BuildKit receives), each image as the
 * list of its op digests plus its image configuration. Pure.
 */
import { decodeMessage } from '../../../proto/schema';
import { sha256Digest, type Definition } from '../../llb';
import type { ImageConfig } from '../../imagegen/config';

interface ImageDefinition {
  literal: string;
  definition: Definition;
  config: ImageConfig;
}

interface LlbDump {
  ops: Record<string, { op: unknown; metadata: unknown }>;
  images: { literal: string; terminal: string; ops: string[]; config: ImageConfig }[];
}

export function llbDump(images: readonly ImageDefinition[]): LlbDump {
  const ops: LlbDump['ops'] = {};
  const listed = images.map((image) => {
    const digests = image.definition.def.map((bytes) => {
      const digest = sha256Digest(bytes);
      if (!(digest in ops)) ops[digest] = { op: plain(decodeMessage('pb.Op', bytes)), metadata: plain(image.definition.metadata[digest] ?? {}) };
      return digest;
    });
    return { literal: image.literal, terminal: digests[digests.length - 1] ?? '', ops: digests, config: image.config };
  });
  return { ops, images: listed };
}

/** Decoded protobuf values as JSON: bytes as text (or base64 when not UTF-8 text), empty lists and maps left out. */
export function plain(value: unknown): unknown {
  if (value instanceof Uint8Array) return bytesValue(value);
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
      if (field === undefined) continue;
      if (Array.isArray(field) && field.length === 0) continue;
      if (isPlainObject(field) && Object.keys(field).length === 0) continue;
      out[key] = plain(field);
    }
    return out;
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array);
}

function bytesValue(bytes: Uint8Array): { text: string } | { base64: string } {
  const text = Buffer.from(bytes).toString('utf8');
  const roundTrips = Buffer.from(text, 'utf8').equals(Buffer.from(bytes));
  return roundTrips && !/[\u0000-\u0008\u000e-\u001f]/.test(text) ? { text } : { base64: Buffer.from(bytes).toString('base64') };
}
