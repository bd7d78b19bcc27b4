/**
 * Running as a BuildKit frontend: the gateway connection on stdin/stdout, Ping, the build,
 * exactly one Return, exit 0.
 *
 * Exit rules (docs/gateway.md): stdout carries the HTTP/2 connection and nothing
 * else; after Return the process exits 0 at once WITHOUT closing the session (closing sends
 * GOAWAY, the daemon kills the container and the build fails); a non-zero exit after a good
 * Return fails the build; an error Return wins over everything.
 */
import type { Readable, Writable } from 'node:stream';
import { format } from 'node:util';
import type { Caps } from './caps';
import { GatewayClient, type ReturnResult, type WorkerInfo } from './client';
import { statusFromError } from './errors';
import { greetEarly } from './greeting';
import { parseFrontendEnv, type FrontendEnv } from './options';
import { GrpcTransport, type RpcStatus } from './transport';

export interface FrontendContext {
  client: GatewayClient;
  caps: Caps;
  workers: WorkerInfo[];
  env: FrontendEnv;
}

interface RunFrontendOptions {
  stdin?: Readable;
  stdout?: Writable;
  env?: Readonly<Record<string, string | undefined>>;
  /** Diagnostics sink (default: stderr, which BuildKit sends to the daemon log). */
  log?: (line: string) => void;
  /** Maps a thrown value to the status to Return (default: statusFromError). */
  toStatus?: (err: unknown) => RpcStatus;
  exit?: (code: number) => never;
}

/**
 * Work that needs only the connection and the frontend's options, started at once so that its
 * round trips overlap the Ping. Its failure is the build's failure (Returned as an error).
 */
type AlongsidePing<Early> = (client: GatewayClient, env: FrontendEnv) => Promise<Early>;

/** Sends console output to stderr so that no byte of it can reach the gRPC stream. */
function keepStdoutForGrpc(): void {
  const toStderr = (...args: unknown[]) => {
    process.stderr.write(format(...args) + '\n');
  };
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  console.warn = toStderr;
  console.trace = toStderr;
}

/**
 * The gateway client over stdin/stdout (or the given streams). The HTTP/2 greeting goes out at
 * once, before node:http2 is loaded: BuildKit drops a connection whose greeting is late (see
 * greeting.ts).
 */
function connectStdio(stdin: Readable = process.stdin, stdout: Writable = process.stdout): GatewayClient {
  // EPIPE after the daemon went away must not crash the process with an unhandled 'error'.
  stdin.on('error', () => undefined);
  stdout.on('error', () => undefined);
  // The frontend image's entrypoint writes the greeting before node starts, and says so.
  const alreadySent = process.env.MODUS_GREETING_SENT === '1' && stdout === process.stdout;
  return new GatewayClient(GrpcTransport.overStream(greetEarly(stdin, stdout, { alreadySent })));
}

/**
 * Runs `build` as the frontend: connects, pings, builds, Returns its result or its error, exits.
 * Never resolves: the process ends here.
 */
export async function runFrontend<Early = undefined>(
  build: (ctx: FrontendContext, early: Early) => Promise<ReturnResult>,
  options: RunFrontendOptions & { alongsidePing?: AlongsidePing<Early> } = {},
): Promise<never> {
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const exit = options.exit ?? ((code: number) => process.exit(code));
  if (!options.stdout) keepStdoutForGrpc();
  const client = connectStdio(options.stdin, options.stdout);
  const env = parseFrontendEnv(options.env ?? process.env);
  const early = options.alongsidePing?.(client, env);
  early?.catch(() => undefined); // awaited (and its error Returned) after the Ping
  let pong;
  try {
    pong = await client.ping();
  } catch (err) {
    log(`modus frontend: cannot reach the BuildKit gateway: ${(err as Error).message}`);
    return exit(1);
  }
  const ctx: FrontendContext = { client, caps: pong.caps, workers: pong.workers, env };
  let returned: Promise<void>;
  try {
    const result = await build(ctx, (await early) as Early);
    returned = client.returnResult(result);
  } catch (err) {
    const status = (options.toStatus ?? statusFromError)(err);
    if (!(err instanceof Error && err.name === 'FrontendError')) {
      log(`modus frontend: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
    returned = client.returnError(status);
  }
  try {
    await returned;
  } catch (err) {
    log(`modus frontend: Return failed: ${(err as Error).message}`);
    return exit(1);
  }
  return exit(0);
}
