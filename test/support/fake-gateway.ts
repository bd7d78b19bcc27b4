/**
 * A fake BuildKit gateway for tests: an LLBBridge served with @grpc/grpc-js on a child
 * process's stdio (the server's connection injector), the way buildkitd serves a frontend
 * container. It spawns a node script with BUILDKIT_FRONTEND_OPT_* env, answers Ping with
 * configurable caps, serves files per ref from memory, answers ResolveImageConfig from a table,
 * records every Solve and the Return, and resolves when the child exits.
 */
import * as grpc from '@grpc/grpc-js';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duplex, PassThrough } from 'node:stream';
import { decodeMessage, encodeMessage } from '../../proto/schema';

export { V08_API_CAPS, V08_LLB_CAPS } from '../../frontend/gateway/caps';
import { V08_API_CAPS, V08_LLB_CAPS } from '../../frontend/gateway/caps';

export interface FakeStatus {
  code: number;
  message: string;
  details?: { type_url: string; value: Uint8Array }[];
}

/** A Solve as received: the decoded SolveRequest (keepCase field names). */
export interface RecordedSolve {
  request: Record<string, any>;
  /** The ref id answered. */
  ref: string;
}

export interface FakeGatewayOptions {
  /** The node script to run as the frontend (JavaScript; see bundleForTest for TypeScript). */
  script: string;
  args?: string[];
  /** Node options before the script (e.g. `--snapshot-blob FILE`; the script may then be ''). */
  nodeArgs?: string[];
  /** Frontend options, passed as BUILDKIT_FRONTEND_OPT_<i>=key=value. */
  opts?: Record<string, string>;
  sessionId?: string;
  exportedProduct?: string;
  env?: Record<string, string>;
  caps?: { api?: string[]; llb?: string[] };
  workers?: { ID: string; Labels?: Record<string, string>; platforms?: { OS: string; Architecture: string; Variant?: string }[] }[];
  /** Files per ref id (ReadFile/ReadDir/StatFile). */
  files?: Record<string, Record<string, string | Uint8Array>>;
  /** Decides the answer to each Solve (default: ref `ref-<n>`, or "" for an empty definition). */
  onSolve?: (request: Record<string, any>, index: number) => { ref?: string; files?: Record<string, string | Uint8Array>; error?: FakeStatus } | void;
  /** ResolveImageConfig answers by requested Ref. */
  images?: Record<string, { digest?: string; config: object | string } | { error: FakeStatus }>;
  /** Kill the child after this many ms (default 20 s). */
  timeoutMs?: number;
}

export interface FakeGatewayResult {
  /** The ReturnRequest, decoded; undefined if Return was never called. */
  returned?: { result?: Record<string, any>; error?: FakeStatus };
  solves: RecordedSolve[];
  /** Every WarnRequest, decoded (keepCase field names). */
  warnings: Record<string, any>[];
  /** Method names in call order. */
  calls: string[];
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** True when the child's stdout began with the HTTP/2 client preface (and so was gRPC). */
  stdoutIsHttp2: boolean;
  stdoutBytes: number;
  timedOut: boolean;
}

const PKG = 'moby.buildkit.v1.frontend.';
const HTTP2_PREFACE = 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n';

const METHODS: [string, string, string][] = [
  ['Ping', 'PingRequest', 'PongResponse'],
  ['Solve', 'SolveRequest', 'SolveResponse'],
  ['ReadFile', 'ReadFileRequest', 'ReadFileResponse'],
  ['ReadDir', 'ReadDirRequest', 'ReadDirResponse'],
  ['StatFile', 'StatFileRequest', 'StatFileResponse'],
  ['ResolveImageConfig', 'ResolveImageConfigRequest', 'ResolveImageConfigResponse'],
  ['Evaluate', 'EvaluateRequest', 'EvaluateResponse'],
  ['Return', 'ReturnRequest', 'ReturnResponse'],
  ['Inputs', 'InputsRequest', 'InputsResponse'],
  ['Warn', 'WarnRequest', 'WarnResponse'],
];

function serviceDefinition(): grpc.ServiceDefinition {
  const def: Record<string, grpc.MethodDefinition<object, object>> = {};
  for (const [name, req, res] of METHODS) {
    def[name] = {
      path: `/${PKG}LLBBridge/${name}`,
      requestStream: false,
      responseStream: false,
      requestSerialize: (v: object) => Buffer.from(encodeMessage(PKG + req, v)),
      requestDeserialize: (b: Buffer) => decodeMessage(PKG + req, b),
      responseSerialize: (v: object) => Buffer.from(encodeMessage(PKG + res, v)),
      responseDeserialize: (b: Buffer) => decodeMessage(PKG + res, b),
    };
  }
  return def;
}

function grpcError(status: FakeStatus): grpc.ServiceError {
  const metadata = new grpc.Metadata();
  if (status.details && status.details.length > 0) {
    metadata.set('grpc-status-details-bin', Buffer.from(encodeMessage('google.rpc.Status', { ...status })));
  }
  return Object.assign(new Error(status.message), { code: status.code, details: status.message, metadata });
}

const notFound = (path: string): FakeStatus => ({ code: 2, message: `open ${path}: no such file or directory` });
const bytesOf = (v: string | Uint8Array) => (typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v));
const normalize = (p: string) => p.replace(/^\/+/, '');
/** os.ModeDir | 0755, as BuildKit's Stat reports a directory. */
const DIR_MODE = 0x80000000 + 0o755;

/** Spawns `options.script` against the fake gateway and resolves once it has exited. */
export function runWithFakeGateway(options: FakeGatewayOptions): Promise<FakeGatewayResult> {
  const files: Record<string, Record<string, string | Uint8Array>> = { ...(options.files ?? {}) };
  const result: FakeGatewayResult = {
    solves: [],
    warnings: [],
    calls: [],
    exitCode: null,
    signal: null,
    stderr: '',
    stdoutIsHttp2: false,
    stdoutBytes: 0,
    timedOut: false,
  };
  const fileOf = (ref: string, path: string) => files[ref]?.[normalize(path)];

  type Handler = (req: any) => object | FakeStatus;
  const handlers: Record<string, Handler> = {
    Ping: () => ({
      FrontendAPICaps: (options.caps?.api ?? V08_API_CAPS).map((ID) => ({ ID, Enabled: true })),
      LLBCaps: (options.caps?.llb ?? V08_LLB_CAPS).map((ID) => ({ ID, Enabled: true })),
      Workers: options.workers ?? [{ ID: 'fake', Labels: {}, platforms: [{ OS: 'linux', Architecture: 'amd64' }] }],
    }),
    Solve: (req) => {
      const index = result.solves.length;
      const answer = options.onSolve?.(req, index) ?? {};
      if (answer.error) return answer.error;
      const empty = !req.Definition || (req.Definition.def ?? []).length === 0;
      const ref = answer.ref ?? (empty && !req.Frontend ? '' : `ref-${index}`);
      if (answer.files) files[ref] = answer.files;
      result.solves.push({ request: req, ref });
      return { result: { ref: { id: ref } } };
    },
    ReadFile: (req) => {
      const data = fileOf(req.Ref, req.FilePath);
      if (data === undefined) return notFound(req.FilePath);
      const all = bytesOf(data);
      const r = req.Range;
      return { Data: r ? all.subarray(r.Offset ?? 0, (r.Offset ?? 0) + (r.Length ?? 0)) : all };
    },
    ReadDir: (req) => {
      const dir = normalize(req.DirPath ?? '') === '.' ? '' : normalize(req.DirPath ?? '');
      const prefix = dir === '' ? '' : dir.replace(/\/?$/, '/');
      const names = new Map<string, number>();
      for (const path of Object.keys(files[req.Ref] ?? {})) {
        if (!path.startsWith(prefix)) continue;
        const [name, ...below] = path.slice(prefix.length).split('/');
        names.set(name!, below.length > 0 ? DIR_MODE : 0o644);
      }
      return { entries: [...names.keys()].sort().map((path) => ({ path, mode: names.get(path) })) };
    },
    StatFile: (req) => {
      const path = normalize(req.Path) === '.' ? '' : normalize(req.Path);
      const data = fileOf(req.Ref, path);
      if (data !== undefined) return { stat: { path, mode: 0o644, size: bytesOf(data).length } };
      // A directory: a prefix of some file's path (the root of any ref with files).
      const isDir = Object.keys(files[req.Ref] ?? {}).some((p) => path === '' || p.startsWith(`${path}/`));
      return isDir ? { stat: { path, mode: DIR_MODE, size: 0 } } : notFound(req.Path);
    },
    ResolveImageConfig: (req) => {
      const answer = options.images?.[req.Ref];
      if (!answer) return { code: 2, message: `${req.Ref}: not found` };
      if ('error' in answer) return answer.error;
      const config = typeof answer.config === 'string' ? answer.config : JSON.stringify(answer.config);
      return { Digest: answer.digest, Config: Buffer.from(config) };
    },
    Evaluate: () => ({}),
    Return: (req) => {
      result.returned = req;
      return {};
    },
    Inputs: () => ({ Definitions: {} }),
    Warn: (req) => {
      result.warnings.push(req);
      return {};
    },
  };

  const server = new grpc.Server();
  const implementation: grpc.UntypedServiceImplementation = {};
  for (const [name] of METHODS) {
    implementation[name] = (call: grpc.ServerUnaryCall<any, any>, callback: grpc.sendUnaryData<any>) => {
      result.calls.push(name);
      const answer = handlers[name](call.request);
      if ('code' in answer && 'message' in answer) callback(grpcError(answer as FakeStatus));
      else callback(null, answer);
    };
  }
  server.addService(serviceDefinition(), implementation);
  const injector = server.createConnectionInjector(grpc.ServerCredentials.createInsecure());

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    BUILDKIT_SESSION_ID: options.sessionId ?? 'fake-session',
    BUILDKIT_EXPORTEDPRODUCT: options.exportedProduct ?? 'docker',
    ...(options.env ?? {}),
  };
  Object.entries(options.opts ?? {}).forEach(([k, v], i) => {
    env[`BUILDKIT_FRONTEND_OPT_${i}`] = `${k}=${v}`;
  });

  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...(options.script ? [options.script] : []), ...(options.args ?? [])], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const fromChild = new PassThrough();
    let head = '';
    child.stdout.on('data', (chunk: Buffer) => {
      result.stdoutBytes += chunk.length;
      if (head.length < HTTP2_PREFACE.length) head += chunk.toString('latin1');
    });
    child.stdout.pipe(fromChild);
    child.stderr.on('data', (chunk: Buffer) => (result.stderr += chunk.toString('utf8')));
    child.stdin.on('error', () => undefined);
    const connection = Duplex.from({ readable: fromChild, writable: child.stdin });
    injector.injectConnection(connection);
    const timer = setTimeout(() => {
      result.timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 20_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      result.exitCode = code;
      result.signal = signal;
      result.stdoutIsHttp2 = head.startsWith(HTTP2_PREFACE);
      // Destroying the stream (not the HTTP/2 session: Node asserts when a session is destroyed
      // while a write to the dead pipe is pending) lets the server session close by itself.
      connection.destroy();
      resolve(result);
    });
  });
}

let bundleDir: string | undefined;

/** Bundles a TypeScript entry point into one JS file (esbuild) so a child node can run it. */
export async function bundleForTest(entry: string): Promise<string> {
  const { build } = await import('esbuild');
  bundleDir ??= mkdtempSync(join(tmpdir(), 'modus-fake-gw-'));
  const outfile = join(bundleDir, entry.replace(/[^A-Za-z0-9]+/g, '_') + '.js');
  await build({ entryPoints: [entry], bundle: true, platform: 'node', target: 'node20', outfile, logLevel: 'error' });
  return outfile;
}
