/**
 * One small build against an in-memory gateway, run while the frontend image's start-up snapshot
 * is built (see the Dockerfile and main.ts). V8 compiles a function to bytecode on its first
 * call; functions compiled before the snapshot is taken are in it, so a real build no longer
 * pays for compiling the parser, checks, solver, planner, LLB and protobuf code (~45 ms of a
 * 100-rule build). The sample touches every stage; nothing of it outlives the warm-up.
 */
import { decodeMessage, encodeMessage } from '../../proto/schema';
import { GatewayClient, V08_API_CAPS, V08_LLB_CAPS, messageTypes, parseFrontendEnv, type FrontendContext, type UnaryTransport } from '../gateway';
import { buildImage, readBuildInput } from './build';

const SAMPLE_MODUSFILE = `
base(V) :- from(f"modus-warm-up/base:\${V}")::set_workdir("/app")::set_env("MODE", V).
tool :- from("modus-warm-up/tool:1"), run("make tool").
feature(V, "fast") :- number_geq(V, "1").
feature(V, "safe") :- !number_geq(V, "1").
app(V) :-
  base(V),
  feature(V, F),
  tool::copy("/tool", "/usr/bin/tool"),
  copy("src", "."),
  (run(f"echo \${F} > /mode"), run("tool build")::in_workdir("src"))::merge,
  run("true")::in_env("K", "v"),
  build_arg("REV", R), string_length(R, L), run(f"echo \${R} \${L}").
`;

const SAMPLE_CONFIG = JSON.stringify({
  architecture: 'amd64',
  os: 'linux',
  config: { Env: ['PATH=/usr/local/bin:/usr/bin:/bin'], WorkingDir: '/', User: 'root' },
  rootfs: { type: 'layers', diff_ids: [] },
});

/** Answers each gateway call as a daemon would, encoding and decoding as the real wire does. */
class InMemoryGateway implements UnaryTransport {
  private solves = 0;

  unary(path: string, request: Uint8Array): Promise<Uint8Array> {
    const method = path.slice(path.lastIndexOf('/') + 1);
    const types = messageTypes(method);
    const reply = this.reply(method, decodeMessage<Record<string, unknown>>(types.request, request));
    if (reply === undefined) return Promise.reject(new Error(`${method}: not found`));
    return Promise.resolve(encodeMessage(types.response, reply));
  }

  private reply(method: string, body: Record<string, unknown>): object | undefined {
    switch (method) {
      case 'Ping':
        return {
          FrontendAPICaps: V08_API_CAPS.map((ID) => ({ ID, Enabled: true })),
          LLBCaps: V08_LLB_CAPS.map((ID) => ({ ID, Enabled: true })),
          Workers: [{ ID: 'warm-up', Labels: {}, platforms: [{ OS: 'linux', Architecture: 'amd64' }] }],
        };
      case 'Solve':
        return { result: { ref: { id: `warm-up-${++this.solves}` } } };
      case 'ReadFile':
        return body.FilePath === 'Modusfile' ? { Data: Buffer.from(SAMPLE_MODUSFILE, 'utf8') } : undefined;
      case 'ResolveImageConfig':
        return { Digest: `sha256:${'0'.repeat(64)}`, Config: Buffer.from(SAMPLE_CONFIG, 'utf8') };
      case 'Return':
        return {};
      default:
        return undefined;
    }
  }
}

/** Runs the sample build start to Return; throws if any stage fails (the image build then fails). */
export async function warmUp(): Promise<void> {
  const client = new GatewayClient(new InMemoryGateway());
  const env = parseFrontendEnv({
    BUILDKIT_SESSION_ID: 'warm-up',
    BUILDKIT_FRONTEND_OPT_0: 'filename=Modusfile',
    BUILDKIT_FRONTEND_OPT_1: 'target=app("1")',
    BUILDKIT_FRONTEND_OPT_2: 'build-arg:REV=abc',
    BUILDKIT_FRONTEND_OPT_3: 'label:org.example=warm-up',
  });
  const [pong, input] = await Promise.all([client.ping(), readBuildInput(client, env)]);
  const ctx: FrontendContext = { client, caps: pong.caps, workers: pong.workers, env };
  await client.returnResult(await buildImage(ctx, input, { solveMs: 0 }));
}
