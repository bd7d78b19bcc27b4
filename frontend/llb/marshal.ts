/**
 * Turns a State into a pb.Definition the way Go's `State.Marshal` does: depth-first, inputs
 * first, each distinct op once, a terminal op last, metadata per op digest, source map.
 */
import { createHash } from 'node:crypto';
import { encodeMessage, type FieldOrder } from '../../proto/schema';
import type { State } from './state';
import {
  DEFAULT_PLATFORM,
  type Definition,
  type OpOptions,
  type PbOpMetadata,
  type PbSource,
  type Platform,
  type SourceLocation,
  type SourceMapFile,
} from './types';
import { toPbPlatform, type MarshalContext, type Output, type PbInput, type Vertex } from './vertex';

interface MarshalOptions {
  /** Platform of the ops that need one and have none of their own (Go: the client's platform). */
  platform?: Platform;
  /**
   * `gogo`: BuildKit <= 0.16's encoding (the Op oneof in field-number order), byte-identical to
   * Go client/llb of Docker 20.10's BuildKit. `canonical`: BuildKit >= 0.17's (oneof after the
   * other fields), which newer daemons recompute digests with. Both decode the same.
   */
  encoding?: 'gogo' | 'canonical';
  /** The daemon's LLB caps, if known: without `exec.meta.setsdefaultpath` runs get a default PATH. */
  llbCaps?: { has(cap: string): boolean };
}

export function sha256Digest(bytes: Uint8Array): string {
  return 'sha256:' + createHash('sha256').update(bytes).digest('hex');
}

interface Marshaled {
  digest: string;
}

export function marshal(state: State, options: MarshalOptions = {}): Definition {
  const definition: Definition = { def: [], metadata: {} };
  if (!state.output) return definition;
  const order: FieldOrder = options.encoding === 'canonical' ? 'oneofLast' : 'number';
  const done = new Map<Vertex, Marshaled>();
  const sources = new SourceMapCollector();
  const flags = { ignoreCache: false, description: false, exportCache: false };

  const ctx: MarshalContext = {
    defaultPlatform: options.platform ?? DEFAULT_PLATFORM,
    setsDefaultPath: options.llbCaps ? options.llbCaps.has('exec.meta.setsdefaultpath') : undefined,
    input: (output: Output): PbInput => {
      const digest = visit(output.vertex).digest;
      return output.index === 0 ? { digest } : { digest, index: output.index };
    },
  };

  /** Marshals a vertex after its dependencies, depth first (a loop: image chains are thousands long). */
  function visit(root: Vertex): Marshaled {
    const known = done.get(root);
    if (known) return known;
    const pending: [Vertex, number][] = [[root, 0]];
    while (pending.length > 0) {
      const top = pending[pending.length - 1]!;
      const [vertex, next] = top;
      if (next < vertex.dependencies.length) {
        top[1] = next + 1;
        const dep = vertex.dependencies[next]!.vertex;
        if (!done.has(dep)) pending.push([dep, 0]);
        continue;
      }
      pending.pop();
      emit(vertex);
    }
    return done.get(root)!;
  }

  function emit(vertex: Vertex): void {
    const parts = vertex.toOp(ctx);
    const op: Record<string, unknown> = { inputs: parts.inputs, ...parts.body, constraints: {} };
    if (parts.platform) op.platform = toPbPlatform(parts.platform);
    const bytes = encodeMessage('pb.Op', op, order);
    const digest = sha256Digest(bytes);
    const metadata = opMetadata(vertex.options, parts.caps);
    if (metadata.ignore_cache) flags.ignoreCache = true;
    if (metadata.description) flags.description = true;
    if (metadata.export_cache) flags.exportCache = true;
    if (!(digest in definition.metadata)) {
      definition.def.push(bytes);
      definition.metadata[digest] = metadata;
      sources.add(digest, vertex.options.locations ?? []);
    } else {
      definition.metadata[digest] = mergeMetadata(definition.metadata[digest], metadata);
    }
    done.set(vertex, { digest });
  }

  const terminal = encodeMessage('pb.Op', { inputs: [ctx.input(state.output)] }, order);
  const terminalDigest = sha256Digest(terminal);
  const caps: Record<string, boolean> = { constraints: true, platform: true };
  if (flags.ignoreCache) caps['meta.ignorecache'] = true;
  if (flags.description) caps['meta.description'] = true;
  if (flags.exportCache) caps['meta.exportcache'] = true;
  definition.def.push(terminal);
  definition.metadata[terminalDigest] = { caps };
  const source = sources.toPb();
  if (source) definition.source = source;
  return definition;
}

/** The digest of the op whose output the definition stands for (undefined for scratch). */
export function terminalInput(definition: Definition): string | undefined {
  const last = definition.def[definition.def.length - 1];
  return last ? sha256Digest(last) : undefined;
}

/** pb.Definition as a plain object for encoding (e.g. inside a SolveRequest). */
export function toPbDefinition(definition: Definition): Record<string, unknown> {
  return { def: definition.def, metadata: definition.metadata, Source: definition.source };
}

/** Every LLB cap the definition's ops declare (sorted). */
export function requiredCaps(definition: Definition): string[] {
  const all = new Set<string>();
  for (const md of Object.values(definition.metadata)) for (const cap of Object.keys(md.caps ?? {})) all.add(cap);
  return [...all].sort();
}

function opMetadata(options: OpOptions, caps: readonly string[]): PbOpMetadata {
  const md: PbOpMetadata = {};
  if (options.ignoreCache) md.ignore_cache = true;
  const description: Record<string, string> = { ...(options.description ?? {}) };
  if (options.customName !== undefined) description['llb.customname'] = options.customName;
  if (Object.keys(description).length > 0) md.description = description;
  if (options.exportCache !== undefined) md.export_cache = { Value: options.exportCache };
  if (caps.length > 0) md.caps = Object.fromEntries(caps.map((c) => [c, true]));
  if (options.progressGroup) {
    md.progress_group = { id: options.progressGroup.id, name: options.progressGroup.name, weak: !!options.progressGroup.weak };
  }
  return md;
}

function mergeMetadata(a: PbOpMetadata, b: PbOpMetadata): PbOpMetadata {
  const out: PbOpMetadata = { ...a };
  if (b.ignore_cache) out.ignore_cache = true;
  if (b.description) out.description = { ...(a.description ?? {}), ...b.description };
  if (b.export_cache) out.export_cache = b.export_cache;
  if (b.caps) out.caps = { ...(a.caps ?? {}), ...b.caps };
  if (b.progress_group) out.progress_group = b.progress_group;
  return out;
}

class SourceMapCollector {
  private readonly files: SourceMapFile[] = [];
  private readonly locations: [string, readonly SourceLocation[]][] = [];

  /** Every op gets an entry, possibly empty, as in Go. */
  add(digest: string, locations: readonly SourceLocation[]): void {
    for (const l of locations) if (!this.files.includes(l.file)) this.files.push(l.file);
    this.locations.push([digest, locations]);
  }

  /** Go always writes a Source; we leave it out when no op has a location (it carries nothing then). */
  toPb(): PbSource | undefined {
    if (this.files.length === 0) return undefined;
    const locations: PbSource['locations'] = {};
    for (const [digest, locs] of this.locations) {
      locations[digest] = {
        locations: locs.map((l) => ({
          sourceIndex: this.files.indexOf(l.file),
          ranges: l.ranges.map((r) => ({ start: { ...r.start }, end: { ...r.end } })),
        })),
      };
    }
    const infos = this.files.map((f) => ({ filename: f.filename, data: f.data, language: f.language }));
    return { locations, infos };
  }
}
