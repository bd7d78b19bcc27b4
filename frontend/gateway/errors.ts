/**
 * Turning failures into the google.rpc.Status a frontend Returns: errors from daemon calls are
 * forwarded unchanged (their typed details mark the failing step), user errors become code
 * UNKNOWN with a readable message and, when known, a source location.
 */
import { GRPC_CODE, GrpcError, type RpcStatus } from './transport';

const SOURCE_DETAIL_TYPE = 'github.com/moby/buildkit/errdefs.Source+json';
const SUBREQUEST_DETAIL_TYPE = 'github.com/moby/buildkit/errdefs.Subrequest+json';

/** An error meant for the user, with an optional location in the build file. */
export class FrontendError extends Error {
  constructor(
    message: string,
    readonly source?: SourceDetail,
  ) {
    super(message);
    this.name = 'FrontendError';
  }
}

/**
 * A subrequest (`requestid`) the frontend does not answer. The typed detail lets a client tell
 * it from other failures (buildx falls back or names the request).
 */
export class UnsupportedSubrequestError extends FrontendError {
  constructor(
    readonly request: string,
    message: string,
  ) {
    super(message);
  }
}

/** A location BuildKit can show as a snippet: the file, its bytes, 1-based line ranges. */
export interface SourceDetail {
  filename: string;
  data: Uint8Array;
  ranges: { start: { line: number; character?: number }; end: { line: number; character?: number } }[];
}

/** The errdefs.Source typed detail (JSON inside an Any). */
function sourceDetailAny(source: SourceDetail): { type_url: string; value: Uint8Array } {
  const json = {
    info: { filename: source.filename, data: Buffer.from(source.data).toString('base64') },
    ranges: source.ranges,
  };
  return { type_url: SOURCE_DETAIL_TYPE, value: Buffer.from(JSON.stringify(json), 'utf8') };
}

/** A user error status: code UNKNOWN, the message, and a source detail when given. */
function userErrorStatus(message: string, source?: SourceDetail): RpcStatus {
  return { code: GRPC_CODE.UNKNOWN, message, details: source ? [sourceDetailAny(source)] : [] };
}

/**
 * The status to Return for any thrown value. Daemon errors pass through untouched; a
 * FrontendError becomes a user error; other exceptions are internal errors.
 */
export function statusFromError(err: unknown): RpcStatus {
  if (err instanceof GrpcError) return err.status;
  if (err instanceof UnsupportedSubrequestError) {
    const detail = { type_url: SUBREQUEST_DETAIL_TYPE, value: Buffer.from(JSON.stringify({ name: err.request }), 'utf8') };
    return { code: GRPC_CODE.UNKNOWN, message: err.message, details: [detail] };
  }
  if (err instanceof FrontendError) return userErrorStatus(err.message, err.source);
  if (err instanceof Error) return userErrorStatus(`internal error in the Modus frontend: ${err.message}`);
  return userErrorStatus(`internal error in the Modus frontend: ${String(err)}`);
}
