// docker build / run / inspect through the real daemon, shaped for assertions in e2e tests.
import * as fs from 'fs';
import * as path from 'path';
import { makeTempDirectory, writeContextFile } from './context';
import { DAEMON } from './daemon';
import { docker, dockerChecked } from './process';

/** The frontend as this suite's daemon takes it: local on 20.10, from the registry on current Docker. */
export const FRONTEND_IMAGE: string = DAEMON.frontendImage;
export const BUSYBOX_IMAGE = 'modus-test/busybox:1';
export const NODE_BASE_IMAGE = 'modus-node-base:20';

export interface BuildOptions {
  /** The build context directory (see makeContext). */
  context: string;
  /** Text of the build file, written to <context>/<file> before the build. */
  modusfile?: string;
  /** The build file, relative to the context (or absolute). Default `Modusfile`. */
  file?: string;
  target?: string;
  buildArgs?: Record<string, string>;
  /** `--network`; default `none` (the frontend receives force-network-mode=none). */
  network?: 'none' | 'host' | 'default';
  noCache?: boolean;
  /**
   * How docker is told to use our frontend. `build-arg` (default) passes BUILDKIT_SYNTAX and keeps
   * the file's line numbers; `directive` puts `# syntax=` on a new first line of `modusfile`;
   * `none` adds neither (the file has its own directive, or it is a plain Dockerfile).
   */
  syntax?: 'directive' | 'build-arg' | 'none';
  frontendImage?: string;
  tag?: string | string[];
  labels?: Record<string, string>;
  platform?: string;
  /** More `docker build` arguments, placed before the context path. */
  extraArgs?: string[];
  timeoutMs?: number;
}

export interface BuildResult {
  code: number;
  /** The plain progress output and the errors (docker build prints both on stderr). */
  output: string;
  /** `sha256:...` when the build succeeded. */
  imageId: string | undefined;
}

export async function dockerBuild(options: BuildOptions): Promise<BuildResult> {
  const frontend = options.frontendImage ?? FRONTEND_IMAGE;
  const syntax = options.syntax ?? 'build-arg';
  const file = path.resolve(options.context, options.file ?? 'Modusfile');
  if (options.modusfile !== undefined) {
    const directive = syntax === 'directive' ? `# syntax=${frontend}\n` : '';
    writeContextFile(options.context, path.relative(options.context, file), directive + options.modusfile);
  }
  const iidFile = path.join(makeTempDirectory('modus-e2e-iid-'), 'iid');
  const tags = ([] as string[]).concat(options.tag ?? untaggedName());
  const args = buildArguments(options, { file, iidFile, frontend, syntax, tags });
  const result = await docker(args, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
  if (result.code !== 0) return { code: result.code, output: result.output, imageId: undefined };
  return { code: result.code, output: result.output, imageId: await builtImageId(iidFile, tags) };
}

/**
 * The id `docker image inspect` knows. On current Docker, buildx writes the configuration's digest
 * to the iidfile when there is no attestation, but the containerd store names images by their
 * manifest: the id is read through the build's first name instead.
 */
async function builtImageId(iidFile: string, tags: readonly string[]): Promise<string | undefined> {
  if (DAEMON.kind === 'current' && tags.length > 0) {
    const inspected = await docker(['image', 'inspect', '--format', '{{.Id}}', tags[0]!]);
    return inspected.code === 0 ? inspected.stdout.trim() : undefined;
  }
  return fs.existsSync(iidFile) ? fs.readFileSync(iidFile, 'utf8').trim() || undefined : undefined;
}

interface ResolvedBuild {
  file: string;
  iidFile: string;
  frontend: string;
  syntax: 'directive' | 'build-arg' | 'none';
  tags: readonly string[];
}

function buildArguments(options: BuildOptions, resolved: ResolvedBuild): string[] {
  const args = [...DAEMON.buildCommand, '--progress=plain', '--iidfile', resolved.iidFile, '-f', resolved.file];
  // buildx attaches a provenance attestation with the build's times by default, so the image id
  // (the index digest in the containerd store) of an identical rebuild would differ: the tests
  // compare ids, as on 20.10 (docs/compatibility.md).
  if (DAEMON.kind === 'current') args.push('--provenance=false');
  args.push(`--network=${options.network ?? 'none'}`);
  if (resolved.syntax === 'build-arg') args.push('--build-arg', `BUILDKIT_SYNTAX=${resolved.frontend}`);
  for (const [key, value] of sortedEntries(options.buildArgs)) args.push('--build-arg', `${key}=${value}`);
  for (const [key, value] of sortedEntries(options.labels)) args.push('--label', `${key}=${value}`);
  if (options.target !== undefined) args.push('--target', options.target);
  if (options.noCache) args.push('--no-cache');
  if (options.platform !== undefined) args.push('--platform', options.platform);
  for (const tag of resolved.tags) args.push('-t', tag);
  args.push(...(options.extraArgs ?? []), options.context);
  return args;
}

let untaggedBuilds = 0;

/**
 * A name for a build the test did not name, on current Docker only: the containerd image store
 * keeps no unnamed image once a later build replaces it, so the id in the iidfile would not be
 * found. On 20.10 an unnamed build stays an unnamed image, as users see it.
 */
function untaggedName(): string[] {
  if (DAEMON.kind !== 'current') return [];
  untaggedBuilds += 1;
  return [`modus-e2e/untagged:${process.pid}-${untaggedBuilds}`];
}

function sortedEntries(record: Record<string, string> | undefined): [string, string][] {
  return Object.entries(record ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export interface RunOptions {
  entrypoint?: string;
  user?: string;
  env?: Record<string, string>;
  /** Default `none`. */
  network?: 'none' | 'host' | 'default';
  timeoutMs?: number;
}

/** Runs `cmd` in a throw-away container of `image` and returns its stdout; throws on a non-zero exit. */
export async function dockerRun(image: string, cmd: string[] = [], options: RunOptions = {}): Promise<string> {
  const args = ['run', '--rm', `--network=${options.network ?? 'none'}`];
  if (options.entrypoint !== undefined) args.push('--entrypoint', options.entrypoint);
  if (options.user !== undefined) args.push('--user', options.user);
  for (const [key, value] of sortedEntries(options.env)) args.push('-e', `${key}=${value}`);
  args.push(image, ...cmd);
  const result = await dockerChecked(args, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
  return result.stdout;
}

/** The parts of `docker image inspect` tests look at; everything else is there too, untyped. */
export interface ImageInspect {
  Id: string;
  RepoTags: string[] | null;
  Created: string;
  Architecture: string;
  Os: string;
  Size: number;
  Config: {
    User?: string;
    Env?: string[] | null;
    Cmd?: string[] | null;
    Entrypoint?: string[] | null;
    WorkingDir?: string;
    Labels?: Record<string, string> | null;
    ExposedPorts?: Record<string, object> | null;
    Volumes?: Record<string, object> | null;
    StopSignal?: string;
    [field: string]: unknown;
  };
  RootFS: { Type: string; Layers?: string[] };
  [field: string]: unknown;
}

export async function inspectImage(image: string): Promise<ImageInspect> {
  const result = await dockerChecked(['image', 'inspect', image]);
  const parsed = JSON.parse(result.stdout) as ImageInspect[];
  if (parsed.length !== 1) throw new Error(`docker image inspect ${image}: expected one image, got ${parsed.length}`);
  return parsed[0];
}

export async function imageExists(image: string): Promise<boolean> {
  return (await docker(['image', 'inspect', image])).code === 0;
}

/** Removes images by name or id; missing ones and undefined entries are ignored. */
export async function removeImages(...images: (string | undefined)[]): Promise<void> {
  const present = images.filter((image): image is string => Boolean(image));
  if (present.length === 0) return;
  await docker(['image', 'rm', '--force', ...present]);
}

/** A tag for an image a test builds, in a namespace no public image uses. */
export function testImageName(name: string): string {
  return `modus-e2e/${name}:${process.pid}`;
}
