/**
 * What `modus build` needs to know of and say to buildx: which builder it drives (`docker buildx
 * inspect`), the command line of a bake, which targets a failed bake names, and the image IDs in
 * its metadata file. Pure, except `inspectBuilder`, which asks the client.
 */
import { runDocker } from './docker';

export interface Builder {
  name: string;
  driver: string;
}

export type BuilderAnswer = { builder: Builder } | { error: string } | { noBuildx: true };

/** How a docker client without the buildx plugin (or no client at all) answers `docker buildx …`. */
const NO_BUILDX = /'buildx' is not a docker command|unknown command "?buildx|^cannot run /m;

/**
 * The builder `--builder NAME` (else the current one) as `docker buildx inspect` shows it; this
 * one question also tells whether the client has buildx. An unknown builder, or one whose
 * endpoint does not answer (buildx prints an `Error:` line then), is an error naming it.
 */
export async function inspectBuilder(command: string, name: string | undefined, env: Readonly<Record<string, string | undefined>>): Promise<BuilderAnswer> {
  const result = await runDocker(command, ['buildx', 'inspect', ...(name === undefined ? [] : [name])], env);
  return builderFromInspect(result.code, result.stdout, result.stderr, name);
}

export function builderFromInspect(code: number, stdout: string, stderr: string, requested: string | undefined): BuilderAnswer {
  const fields = inspectFields(stdout);
  const name = fields.get('Name') ?? requested ?? 'the current builder';
  const shown = requested === undefined ? `builder ${name} (the current one)` : `builder ${name}`;
  if (code !== 0 && NO_BUILDX.test(stderr)) return { noBuildx: true };
  if (code !== 0) return { error: `${shown} cannot be used: ${firstLine(stderr) || `docker buildx inspect exited with ${code}`}` };
  const error = fields.get('Error');
  if (error !== undefined) return { error: `${shown} is unreachable: ${error}` };
  return { builder: { name, driver: fields.get('Driver') ?? '' } };
}

/** `Key: value` lines of the builder's own section (the part before `Nodes:`). */
function inspectFields(stdout: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    if (line.startsWith('Nodes:')) break;
    const match = /^([A-Za-z][A-Za-z ]*):\s*(.*)$/.exec(line);
    if (match) fields.set(match[1]!, match[2]!.trim());
  }
  return fields;
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? ''
  ).replace(/^ERROR:\s*/, '');
}

interface BakeInvocation {
  file: string;
  metadataFile: string;
  builder?: string;
  /** A directory outside bake's working directory that it may read (`--allow fs.read=DIR`). */
  allowRead?: string;
  /** `--load`, `--push`, or neither (the results stay in the build cache). */
  load: boolean;
  push: boolean;
}

export function bakeArguments(bake: BakeInvocation): string[] {
  const args = ['buildx', 'bake', '-f', bake.file, '--progress=plain', '--metadata-file', bake.metadataFile];
  if (bake.builder !== undefined) args.push('--builder', bake.builder);
  if (bake.allowRead !== undefined) args.push(`--allow=fs.read=${bake.allowRead}`);
  if (bake.load) args.push('--load');
  if (bake.push) args.push('--push');
  return args;
}

/** The output of a bake that neither loads nor pushes: the build cache only, without buildx's warning. */
export const CACHE_ONLY_OUTPUT = 'type=cacheonly';

interface BakeFailure {
  target: string;
  message: string;
}

/** `ERROR: target NAME: MESSAGE` lines of a failed bake (buildx stops the other targets then). */
export function bakeFailures(log: string): BakeFailure[] {
  const failures: BakeFailure[] = [];
  for (const line of log.split('\n')) {
    const match = /^ERROR: target ([A-Za-z0-9_-]+): (.*)$/.exec(line.trim());
    if (match) failures.push({ target: match[1]!, message: match[2]!.replace(/^failed to solve: /, '') });
  }
  return failures;
}

/** A bake's last `ERROR:` line (a failure of the bake itself rather than of a target), if any. */
export function bakeError(log: string): string | undefined {
  const line = log
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('ERROR:'));
  return line === undefined ? undefined : line.slice('ERROR:'.length).trim();
}

/** Where a target's metadata names its image: the config digest, then the manifest or index digest. */
const IMAGE_ID_KEYS = ['containerimage.config.digest', 'containerimage.digest'] as const;

/**
 * The IDs an image may go by in the local store after `--load`: the config digest (the image ID
 * of Docker's classic store) and the manifest or index digest (the ID with the containerd image
 * store), in that order.
 */
export function imageIdCandidates(metadata: unknown): string[] {
  return IMAGE_ID_KEYS.flatMap((key) => digestUnder(metadata, key) ?? []);
}

/**
 * Each target's local image ID: its digest under the metadata key whose digest of the target
 * `sample` the local store knows (`known`: the IDs `docker image inspect` printed of
 * `imageIdCandidates(sample)`). The key depends on the image store only, not on the image.
 */
export function localImageIds(metadata: Readonly<Record<string, unknown>>, names: readonly string[], sample: string, known: ReadonlySet<string>): (string | undefined)[] {
  const key = IMAGE_ID_KEYS.find((k) => known.has(digestUnder(metadata[sample], k) ?? ''));
  return names.map((name) => (key === undefined ? undefined : digestUnder(metadata[name], key)));
}

function digestUnder(metadata: unknown, key: string): string | undefined {
  if (typeof metadata !== 'object' || metadata === null) return undefined;
  const value = (metadata as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}
