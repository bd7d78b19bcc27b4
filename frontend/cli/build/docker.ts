/**
 * The docker client `modus build` drives: which program (the --docker option, else $MODUS_DOCKER,
 * else `docker` on PATH), whether it has buildx (`docker buildx build --load`) or needs
 * `DOCKER_BUILDKIT=1 docker build`, and the command line of one image's build.
 */
import { spawn } from 'node:child_process';
import type { BuildJob } from './runner';

export interface DockerClient {
  command: string;
  buildx: boolean;
}

export const DEFAULT_FRONTEND = 'modus-frontend:dev';

export function clientCommand(option: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  return option ?? (env.MODUS_DOCKER || 'docker');
}

/** `docker buildx version` answering means buildx; $MODUS_BUILDX=0/1 decides without asking. */
export async function detectClient(command: string, env: Readonly<Record<string, string | undefined>>): Promise<DockerClient> {
  if (env.MODUS_BUILDX === '0' || env.MODUS_BUILDX === '1') return { command, buildx: env.MODUS_BUILDX === '1' };
  const result = await runDocker(command, ['buildx', 'version'], env);
  return { command, buildx: result.code === 0 };
}

interface ImageBuildRequest extends BuildInputs {
  /** The ground image literal, the frontend's goal. */
  target: string;
  iidFile: string;
}

/** `--secret` and `--ssh` values given to `modus build`, passed to every image's build as they are. */
export interface SessionInputs {
  secrets: readonly string[];
  ssh: readonly string[];
}

/** The arguments of one image's build (progress always plain: it is logged, not shown raw). */
function buildArguments(client: DockerClient, request: ImageBuildRequest): string[] {
  const args = client.buildx ? ['buildx', 'build', '--load'] : ['build'];
  args.push('--progress=plain', '-f', request.file, '--target', request.target, '--iidfile', request.iidFile);
  args.push('--build-arg', `BUILDKIT_SYNTAX=${request.frontend}`);
  for (const key of Object.keys(request.buildArgs).sort()) args.push('--build-arg', `${key}=${request.buildArgs[key]}`);
  if (request.noCache) args.push('--no-cache');
  if (request.network !== undefined) args.push(`--network=${request.network}`);
  for (const secret of request.session?.secrets ?? []) args.push('--secret', secret);
  for (const ssh of request.session?.ssh ?? []) args.push('--ssh', ssh);
  args.push(request.context);
  return args;
}

/** What every build of one `modus build` run is given, whether per image or in one bake. */
export interface BuildInputs {
  /** The context folder, absolute. */
  context: string;
  /** The Modusfile, absolute. */
  file: string;
  frontend: string;
  buildArgs: Record<string, string>;
  noCache: boolean;
  network?: string;
  session?: SessionInputs;
}

/** The inputs of the per-image builds, with the client that runs them (`--no-cache` is per job). */
export interface BuildSetting extends Omit<BuildInputs, 'noCache'> {
  client: DockerClient;
}

/** One `docker build --target` job writing its image ID to `iidFile`. */
export function targetBuildJob(
  setting: BuildSetting,
  target: string,
  iidFile: string,
  options: { extraBuildArgs?: Readonly<Record<string, string>>; noCache?: boolean } = {},
): BuildJob {
  const args = buildArguments(setting.client, {
    ...setting,
    target,
    iidFile,
    buildArgs: { ...setting.buildArgs, ...options.extraBuildArgs },
    noCache: options.noCache ?? false,
  });
  return { literal: target, args, iidFile };
}

/** The environment of every docker child: BuildKit on for the plain client. */
export function dockerEnv(env: Readonly<Record<string, string | undefined>>): NodeJS.ProcessEnv {
  return { ...env, DOCKER_BUILDKIT: '1' };
}

interface DockerResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A short docker command (tag, inspect, version); never throws. */
export function runDocker(command: string, args: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<DockerResult> {
  return new Promise((resolve) => {
    const child = spawn(command, [...args], { env: dockerEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => resolve({ code: 127, stdout: '', stderr: `cannot run ${command}: ${error.message}` }));
    child.on('close', (code, signal) =>
      resolve({ code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
  });
}
