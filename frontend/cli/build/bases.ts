/**
 * Base image configurations for the offline commands (`transpile`, `llb`), read with
 * `docker image inspect` from the local image store when a daemon answers. The frontend resolves
 * them through the gateway instead; these are the same images when they are present locally.
 */
import type { ImageConfig } from '../../imagegen/config';
import { normalizeImageRef, parseImageRef } from '../../llb';
import type { BuildPlan } from '../../planner/plan';
import { runDocker } from './docker';

export interface InspectedBase {
  /** The image ID (`sha256:` of its configuration). */
  id: string;
  /** `name@sha256:...` when the image came from a registry (what the frontend would pin). */
  repoDigest?: string;
  config: ImageConfig;
}

interface DockerInspect {
  Id: string;
  RepoDigests?: string[] | null;
  Architecture?: string;
  Os?: string;
  Variant?: string;
  Config?: Record<string, unknown> | null;
}

/** The base references a plan pulls, in plan order, each once. */
export function baseRefs(plan: BuildPlan): string[] {
  const refs: string[] = [];
  for (const node of plan.nodes) if (node.kind === 'from' && !refs.includes(node.ref)) refs.push(node.ref);
  return refs;
}

/** Each reference's local image, or nothing for one the store does not have (or with no daemon). */
export async function inspectBases(
  command: string,
  refs: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<Map<string, InspectedBase>> {
  const found = await Promise.all(refs.map(async (ref) => [ref, await inspectOne(command, ref, env)] as const));
  const bases = new Map<string, InspectedBase>();
  for (const [ref, base] of found) if (base) bases.set(ref, base);
  return bases;
}

async function inspectOne(command: string, ref: string, env: Readonly<Record<string, string | undefined>>): Promise<InspectedBase | undefined> {
  if (!parseImageRef(ref)) return undefined;
  const result = await runDocker(command, ['image', 'inspect', '--format', '{{json .}}', ref], env);
  if (result.code !== 0) return undefined;
  try {
    return fromInspect(ref, JSON.parse(result.stdout) as DockerInspect);
  } catch {
    return undefined;
  }
}

/** Docker's inspect output as the OCI configuration the gateway would have returned. */
export function fromInspect(ref: string, inspect: DockerInspect): InspectedBase {
  const source = inspect.Config ?? {};
  const config: Record<string, unknown> = {};
  for (const key of ['User', 'ExposedPorts', 'Env', 'Entrypoint', 'Cmd', 'Volumes', 'WorkingDir', 'Labels', 'StopSignal', 'Healthcheck', 'Shell', 'OnBuild']) {
    const value = source[key];
    if (value !== undefined && value !== null && value !== '') config[key] = value;
  }
  const image: ImageConfig = { architecture: inspect.Architecture ?? 'amd64', os: inspect.Os ?? 'linux', config };
  if (inspect.Variant) image.variant = inspect.Variant;
  const repository = repositoryOf(ref);
  const repoDigest = (inspect.RepoDigests ?? []).find((d) => repositoryOf(d) === repository);
  return { id: inspect.Id, config: image, ...(repoDigest ? { repoDigest: normalizeImageRef(repoDigest) } : {}) };
}

/** `busybox:1.36` → `docker.io/library/busybox` (no tag, no digest). */
function repositoryOf(ref: string): string {
  return normalizeImageRef(ref).replace(/@.*$/, '').replace(/:[^/:]+$/, '');
}
