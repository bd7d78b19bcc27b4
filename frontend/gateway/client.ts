/**
 * The LLBBridge client: typed calls to the BuildKit gateway over one GrpcTransport.
 */
import { encodeMessage, decodeMessage } from '../../proto/schema';
import { toPbDefinition } from '../llb/marshal';
import type { Definition, Platform } from '../llb/types';
import { Caps, type ApiCap } from './caps';
import type { CallOptions, RpcStatus, UnaryTransport } from './transport';

const SERVICE = '/moby.buildkit.v1.frontend.LLBBridge/';
const PKG = 'moby.buildkit.v1.frontend.';

/** Go's client waits this long for the first Ping. */
const PING_TIMEOUT_MS = 15_000;

export interface WorkerInfo {
  id: string;
  labels: Record<string, string>;
  platforms: Platform[];
}

interface PingResult {
  caps: Caps;
  workers: WorkerInfo[];
}

interface SolveRequest {
  definition?: Definition;
  /** Delegate to another frontend (`dockerfile.v0`, `gateway.v0`) instead of a definition. */
  frontend?: string;
  frontendOpt?: Record<string, string>;
  frontendInputs?: Record<string, Definition>;
  cacheImports?: { type: string; attrs: Record<string, string> }[];
  /** Run the graph now so that errors show up here (cap gateway.solve.evaluate). */
  evaluate?: boolean;
}

interface SolveResult {
  /** The result ref id; "" for an empty (scratch) result. */
  ref: string;
  /** Result metadata, e.g. `containerimage.config` of a delegated frontend. */
  metadata: Record<string, Uint8Array>;
}

interface FileStat {
  path: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  modTime: number;
  linkname: string;
}

interface ImageConfigResult {
  /** Digest of what the tag resolved to; undefined when Docker used its local image store. */
  digest?: string;
  /** The image config JSON. */
  config: Uint8Array;
  /** The reference after source-policy rewriting (BuildKit >= 0.12). */
  ref?: string;
}

export interface ReturnResult {
  /** A single result ref ("" for an empty image). */
  ref?: string;
  /** Per-platform refs (cap returnmap); add `refs.platforms` metadata with it. */
  refs?: Record<string, string>;
  /** Values are bytes; strings are written as UTF-8. */
  metadata?: Record<string, Uint8Array | string>;
}

/** A position range in a source file: 1-based lines, 0-based characters (BuildKit's pb.Range). */
export interface SourceRange {
  start: { line: number; character?: number };
  end: { line: number; character?: number };
}

/** A warning shown by the client beside the build (cap gateway.warnings, BuildKit >= 0.10). */
interface Warning {
  /** The vertex the warning belongs to: the digest of the step that loaded the build file. */
  digest: string;
  /** One line: what is wrong. */
  short: string;
  /** More lines, shown by `--debug` / in the build record. */
  detail?: string[];
  /** Where to read about it. */
  url?: string;
  /** The file the ranges point into (its bytes make the client's snippet). */
  source?: { filename: string; data: Uint8Array; language?: string };
  ranges?: SourceRange[];
}

/** BuildKit's only warning level (WarnRequest.level). */
const WARNING_LEVEL = 1;

export class GatewayClient {
  constructor(private readonly transport: UnaryTransport) {}

  private async call<T>(method: string, request: object, options?: CallOptions): Promise<T> {
    const types = messageTypes(method);
    const bytes = encodeMessage(types.request, request);
    const reply = await this.transport.unary(SERVICE + method, bytes, options);
    return decodeMessage<T>(types.response, reply);
  }

  async ping(timeoutMs = PING_TIMEOUT_MS): Promise<PingResult> {
    const pong = await this.call<{ FrontendAPICaps: ApiCap[]; LLBCaps: ApiCap[]; Workers: RawWorker[] }>('Ping', {}, { timeoutMs });
    return { caps: Caps.fromPing(pong.FrontendAPICaps, pong.LLBCaps), workers: pong.Workers.map(toWorkerInfo) };
  }

  async solve(request: SolveRequest): Promise<SolveResult> {
    const inputs = request.frontendInputs
      ? Object.fromEntries(Object.entries(request.frontendInputs).map(([k, d]) => [k, toPbDefinition(d)]))
      : undefined;
    const response = await this.call<{ ref?: string; result?: RawResult }>('Solve', {
      Definition: request.definition ? toPbDefinition(request.definition) : undefined,
      Frontend: request.frontend,
      FrontendOpt: request.frontendOpt,
      allowResultReturn: true,
      allowResultArrayRef: true,
      CacheImports: request.cacheImports?.map((c) => ({ Type: c.type, Attrs: c.attrs })),
      FrontendInputs: inputs,
      Evaluate: request.evaluate,
    });
    const result = response.result;
    return {
      ref: result?.ref?.id ?? result?.refDeprecated ?? response.ref ?? '',
      metadata: result?.metadata ?? {},
    };
  }

  /** Reads a file of a solved ref (whole file unless a range is given; length 0 is never sent). */
  async readFile(ref: string, path: string, range?: { offset: number; length: number }): Promise<Uint8Array> {
    const Range = range && range.length > 0 ? { Offset: range.offset, Length: range.length } : undefined;
    const response = await this.call<{ Data?: Uint8Array }>('ReadFile', { Ref: ref, FilePath: path, Range });
    return response.Data ?? new Uint8Array();
  }

  async readDir(ref: string, path: string, includePattern?: string): Promise<FileStat[]> {
    const response = await this.call<{ entries: RawStat[] }>('ReadDir', { Ref: ref, DirPath: path, IncludePattern: includePattern });
    return response.entries.map(toFileStat);
  }

  async statFile(ref: string, path: string): Promise<FileStat> {
    const response = await this.call<{ stat?: RawStat }>('StatFile', { Ref: ref, Path: path });
    return toFileStat(response.stat ?? {});
  }

  async resolveImageConfig(
    ref: string,
    options: { platform?: Platform; resolveMode?: string; logName?: string } = {},
  ): Promise<ImageConfigResult> {
    const p = options.platform;
    const response = await this.call<{ Digest?: string; Config?: Uint8Array; Ref?: string }>('ResolveImageConfig', {
      Ref: ref,
      Platform: p && { Architecture: p.architecture, OS: p.os, Variant: p.variant },
      ResolveMode: options.resolveMode,
      LogName: options.logName,
    });
    return {
      ...(response.Digest ? { digest: response.Digest } : {}),
      config: response.Config ?? new Uint8Array(),
      ...(response.Ref ? { ref: response.Ref } : {}),
    };
  }

  /** Forces evaluation of a ref (BuildKit >= 0.11, cap gateway.evaluate). */
  async evaluate(ref: string): Promise<void> {
    await this.call('Evaluate', { Ref: ref });
  }

  /** The frontend inputs the client passed (cap frontend.inputs). */
  async inputs(): Promise<Record<string, Record<string, unknown>>> {
    const response = await this.call<{ Definitions: Record<string, Record<string, unknown>> }>('Inputs', {});
    return response.Definitions;
  }

  /** Sends a warning (cap gateway.warnings): `docker buildx build` lists it after the build. */
  async warn(warning: Warning): Promise<void> {
    const source = warning.source;
    await this.call('Warn', {
      digest: warning.digest,
      level: WARNING_LEVEL,
      short: Buffer.from(warning.short, 'utf8'),
      detail: (warning.detail ?? []).map((line) => Buffer.from(line, 'utf8')),
      url: warning.url,
      info: source && { filename: source.filename, data: source.data, language: source.language },
      ranges: warning.ranges,
    });
  }

  /** Returns the build result. Call once, then exit 0 without closing the connection. */
  async returnResult(result: ReturnResult): Promise<void> {
    const metadata: Record<string, Uint8Array> = {};
    for (const [k, v] of Object.entries(result.metadata ?? {})) metadata[k] = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
    const refs = result.refs ? { refs: Object.fromEntries(Object.entries(result.refs).map(([k, id]) => [k, { id }])) } : undefined;
    const ref = refs ? undefined : { id: result.ref ?? '' };
    await this.call('Return', { result: { ref, refs, metadata } });
  }

  /** Fails the build with `status` (what the user sees). Then exit 0. */
  async returnError(status: RpcStatus): Promise<void> {
    await this.call('Return', { error: status });
  }
}

/** The protobuf types of an LLBBridge method's request and reply. */
export function messageTypes(method: string): { request: string; response: string } {
  return { request: `${PKG}${method}Request`, response: method === 'Ping' ? `${PKG}PongResponse` : `${PKG}${method}Response` };
}

interface RawResult {
  refDeprecated?: string;
  ref?: { id?: string };
  metadata?: Record<string, Uint8Array>;
}

interface RawWorker {
  ID?: string;
  Labels: Record<string, string>;
  platforms: { Architecture?: string; OS?: string; Variant?: string }[];
}

function toWorkerInfo(w: RawWorker): WorkerInfo {
  return {
    id: w.ID ?? '',
    labels: w.Labels,
    platforms: w.platforms.map((p) => ({
      os: p.OS ?? '',
      architecture: p.Architecture ?? '',
      ...(p.Variant ? { variant: p.Variant } : {}),
    })),
  };
}

interface RawStat {
  path?: string;
  mode?: number;
  uid?: number;
  gid?: number;
  size?: number;
  modTime?: number;
  linkname?: string;
}

function toFileStat(s: RawStat): FileStat {
  return {
    path: s.path ?? '',
    mode: s.mode ?? 0,
    uid: s.uid ?? 0,
    gid: s.gid ?? 0,
    size: s.size ?? 0,
    modTime: s.modTime ?? 0,
    linkname: s.linkname ?? '',
  };
}
