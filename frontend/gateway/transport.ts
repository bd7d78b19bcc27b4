/**
 * Unary gRPC calls over one existing HTTP/2 connection (h2c with prior knowledge), which is what
 * BuildKit gives a frontend on its stdin/stdout. @grpc/grpc-js cannot dial over an existing
 * stream (grpc-node issue 2038), so this speaks the protocol directly: POST to
 * /<service>/<method>, `content-type: application/grpc`, `te: trailers`, each message framed as
 * 1 byte "compressed" flag + 4 bytes big-endian length + protobuf bytes; the outcome is in the
 * `grpc-status` / `grpc-message` / `grpc-status-details-bin` trailers (or headers, for a
 * trailers-only response).
 */
import type * as http2 from 'node:http2';

/** node:http2, loaded on first use (it cannot be part of a V8 start-up snapshot). */
function http2Module(): typeof http2 {
  return require('node:http2') as typeof http2;
}
import type { Duplex } from 'node:stream';
import { decodeMessage } from '../../proto/schema';

/** google.rpc.Status as a plain object; `details` values are raw bytes (JSON for BuildKit). */
export interface RpcStatus {
  code: number;
  message: string;
  details: { type_url: string; value: Uint8Array }[];
}

export const GRPC_CODE = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;

/** A failed call: the status the server sent (kept whole so it can be forwarded in Return). */
export class GrpcError extends Error {
  constructor(
    readonly method: string,
    readonly status: RpcStatus,
  ) {
    super(status.message);
    this.name = 'GrpcError';
  }

  get code(): number {
    return this.status.code;
  }

  /** The JSON typed-error details (`…+json` type URLs), parsed. */
  jsonDetails(): { typeUrl: string; value: unknown }[] {
    const out: { typeUrl: string; value: unknown }[] = [];
    for (const d of this.status.details) {
      if (!d.type_url.endsWith('+json')) continue;
      try {
        out.push({ typeUrl: d.type_url, value: JSON.parse(Buffer.from(d.value).toString('utf8')) });
      } catch {
        // A detail that is not valid JSON is skipped; the message still carries the error.
      }
    }
    return out;
  }
}

export interface CallOptions {
  /** Deadline in milliseconds (also sent as `grpc-timeout`). */
  timeoutMs?: number;
}

/** Frames one message: flag 0 (uncompressed), 4-byte big-endian length, bytes. */
export function frameMessage(message: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(5 + message.length);
  frame[0] = 0;
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, 5);
  return frame;
}

/** Splits a response body into its messages. */
export function unframeMessages(body: Buffer): Uint8Array[] {
  const out: Uint8Array[] = [];
  let offset = 0;
  while (offset < body.length) {
    if (body.length - offset < 5) throw new Error('truncated gRPC frame header');
    if (body[offset] !== 0) throw new Error('compressed gRPC messages are not supported');
    const length = body.readUInt32BE(offset + 1);
    if (body.length - offset - 5 < length) throw new Error('truncated gRPC message');
    out.push(body.subarray(offset + 5, offset + 5 + length));
    offset += 5 + length;
  }
  return out;
}

/** The status carried in headers or trailers, or undefined if there is none. */
export function statusFromMetadata(metadata: http2.IncomingHttpHeaders): RpcStatus | undefined {
  const raw = metadata['grpc-status'];
  if (raw === undefined) return undefined;
  const code = Number(Array.isArray(raw) ? raw[0] : raw);
  const message = decodeGrpcMessage(String(metadata['grpc-message'] ?? ''));
  const detailsBin = metadata['grpc-status-details-bin'];
  if (detailsBin !== undefined && code !== 0) {
    try {
      const status = decodeMessage<RpcStatus>('google.rpc.Status', Buffer.from(String(detailsBin), 'base64'));
      return { code: status.code ?? code, message: status.message ?? message, details: status.details ?? [] };
    } catch {
      // Fall back to the plain status below.
    }
  }
  return { code: Number.isFinite(code) ? code : GRPC_CODE.UNKNOWN, message, details: [] };
}

/** grpc-message is percent-encoded UTF-8. */
function decodeGrpcMessage(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const STREAM_WINDOW = 4 << 20;
const SESSION_WINDOW = 32 << 20;

function grpcTimeout(ms: number): string {
  return ms < 1e8 ? `${Math.max(1, Math.ceil(ms))}m` : `${Math.ceil(ms / 1000)}S`;
}

/** What the gateway client needs of a transport: one request, one reply. */
export interface UnaryTransport {
  unary(path: string, request: Uint8Array, options?: CallOptions): Promise<Uint8Array>;
}

/** One HTTP/2 session carrying unary gRPC calls. */
export class GrpcTransport implements UnaryTransport {
  private failure: Error | undefined;

  constructor(private readonly session: http2.ClientHttp2Session) {
    session.on('error', (err) => {
      this.failure = err;
    });
    session.on('goaway', () => {
      this.failure ??= new Error('the gateway closed the connection (GOAWAY)');
    });
  }

  /** Opens h2c over an existing duplex byte stream (e.g. stdin/stdout), authority `localhost`. */
  static overStream(stream: Duplex): GrpcTransport {
    const session = http2Module().connect('http://localhost', {
      createConnection: () => stream,
      // Go's server accepts many streams; the peer's SETTINGS decide the real limit.
      peerMaxConcurrentStreams: 250,
      // Big windows so that a multi-MiB ReadFile does not wait for a WINDOW_UPDATE every 64 KiB.
      settings: { initialWindowSize: STREAM_WINDOW },
    });
    session.on('connect', () => session.setLocalWindowSize(SESSION_WINDOW));
    return new GrpcTransport(session);
  }

  /** Calls `path` (`/pkg.Service/Method`) with one message and resolves with the one reply. */
  unary(path: string, request: Uint8Array, options: CallOptions = {}): Promise<Uint8Array> {
    if (this.failure) return Promise.reject(unavailable(path, this.failure.message));
    return new Promise<Uint8Array>((resolve, reject) => {
      const headers: http2.OutgoingHttpHeaders = {
        ':method': 'POST',
        ':path': path,
        // Node would say "localhost:80"; Go's client (and so BuildKit's logs) say "localhost".
        ':authority': 'localhost',
        'content-type': 'application/grpc',
        te: 'trailers',
      };
      if (options.timeoutMs !== undefined) headers['grpc-timeout'] = grpcTimeout(options.timeoutMs);
      let stream: http2.ClientHttp2Stream;
      try {
        stream = this.session.request(headers);
      } catch (err) {
        reject(unavailable(path, (err as Error).message));
        return;
      }
      const chunks: Buffer[] = [];
      let status: RpcStatus | undefined;
      let httpStatus = 0;
      let settled = false;
      const finish = (err: Error | undefined, value?: Uint8Array) => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        if (err) reject(err);
        else resolve(value!);
      };
      const timer =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              stream.close(http2Module().constants.NGHTTP2_CANCEL);
              finish(new GrpcError(path, { code: GRPC_CODE.DEADLINE_EXCEEDED, message: `${path}: deadline of ${options.timeoutMs} ms exceeded`, details: [] }));
            }, options.timeoutMs);
      stream.on('response', (h) => {
        httpStatus = Number(h[':status']);
        status ??= statusFromMetadata(h);
      });
      stream.on('trailers', (t) => {
        status = statusFromMetadata(t) ?? status;
      });
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (err) => finish(unavailable(path, err.message)));
      stream.on('close', () => {
        if (settled) return;
        if (!status) {
          const why = httpStatus && httpStatus !== 200 ? `HTTP status ${httpStatus}` : 'the stream closed without a gRPC status';
          finish(unavailable(path, this.failure?.message ?? why));
          return;
        }
        if (status.code !== GRPC_CODE.OK) {
          finish(new GrpcError(path, status));
          return;
        }
        try {
          const messages = unframeMessages(Buffer.concat(chunks));
          if (messages.length !== 1) throw new Error(`expected one response message, got ${messages.length}`);
          finish(undefined, messages[0]);
        } catch (err) {
          finish(new GrpcError(path, { code: GRPC_CODE.INTERNAL, message: `${path}: ${(err as Error).message}`, details: [] }));
        }
      });
      stream.end(frameMessage(request));
    });
  }

  /** Closes the connection. Never call this before exiting a frontend: see `exitAfterReturn`. */
  close(): void {
    this.session.close();
  }

  /** Lets the process exit while the session is still open (used by tests and the CLI). */
  unref(): void {
    this.session.unref();
  }
}

function unavailable(path: string, message: string): GrpcError {
  return new GrpcError(path, { code: GRPC_CODE.UNAVAILABLE, message: `${path}: ${message}`, details: [] });
}
