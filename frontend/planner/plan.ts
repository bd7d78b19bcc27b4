/**
 * The build plan: a DAG of image-building steps made from the chosen proofs, before any LLB.
 * Plain data, deterministic; node ids are indexes into BuildPlan.nodes, dependencies always
 * point to smaller ids (the list is in a topological order).
 */
import type { Span } from '../../grammar/source';

export type NodeId = number;

/** Where a step comes from, for step names and positioned errors. */
export interface Origin {
  /** The Modus literal or operator as written, ground: `run("make")`, `::copy("/a", "b")`. */
  text: string;
  /** The ground image literal whose proof contains the step, e.g. `app("prod")`. */
  image: string;
  /** The user predicates on the proof path from the image literal down to the step (for no-cache filters). */
  predicates: string[];
  span?: Span;
}

/** Per-step cache control collected from enclosing cache operators (issue: layer cache control). */
export interface CacheControl {
  noCache: boolean;
  /** `::cache_key(V)` values, outermost first. */
  keys: string[];
  /**
   * `::cache_probe(CMD)`: commands whose answers enter the key, outermost first. `base` is the
   * image node the operand starts from (where the probe runs); absent when the operand starts
   * the image itself (no image exists yet at the operator).
   */
  probes: { command: string; base?: NodeId; origin: Origin }[];
  /** `::cache_ttl(D)` durations in seconds, outermost first. */
  ttlSeconds: number[];
}

/**
 * A build-time mount of a run (`::mount_*`): never part of a layer. Targets are joined onto the
 * enclosing in_workdir path; a relative one is resolved against the run's working directory.
 */
export type RunMount =
  /** A persistent cache directory shared by `id` across builds. */
  | { kind: 'cache'; target: string; id: string; origin: Origin }
  /** The build's secret `id` as a read-only file. */
  | { kind: 'secret'; id: string; target: string; origin: Origin }
  /** The build's SSH agent `id` as a socket; `SSH_AUTH_SOCK` names the first. */
  | { kind: 'ssh'; id: string; origin: Origin }
  | { kind: 'tmpfs'; target: string; origin: Origin };

/** Where a mount is: its target, or for an SSH agent its id (one mount a place per run). */
export function mountPlace(mount: RunMount): string {
  return mount.kind === 'ssh' ? `ssh ${mount.id}` : mount.target;
}

export type MergeOperation =
  | { kind: 'run'; command: string; cwd: string; env: [string, string][]; mounts?: RunMount[]; origin: Origin }
  | { kind: 'copyLocal'; src: string; dst: string; origin: Origin }
  | { kind: 'copyImage'; image: NodeId; src: string; dst: string; origin: Origin };

export type PlanNode =
  | { kind: 'from'; ref: string; origin: Origin }
  | { kind: 'scratch'; origin: Origin }
  | {
      kind: 'run';
      parent: NodeId;
      command: string;
      /** Working directory from enclosing in_workdir, relative to the image's workdir unless absolute. */
      cwd: string;
      /** Extra environment from enclosing in_env, in application order (later wins). */
      env: [string, string][];
      /** From enclosing ::mount_* operators, outermost first; absent when there are none. */
      mounts?: RunMount[];
      cache: CacheControl;
      origin: Origin;
    }
  /** `dst` is joined onto the in_workdir path; relative paths are resolved by the LLB stage. */
  | { kind: 'copyLocal'; parent: NodeId; src: string; dst: string; cache: CacheControl; origin: Origin }
  /** `src` is relative to the source image's workdir unless absolute; `dst` as for copyLocal. */
  | { kind: 'copyImage'; parent: NodeId; image: NodeId; src: string; dst: string; cache: CacheControl; origin: Origin }
  | { kind: 'merge'; parent: NodeId; operations: MergeOperation[]; cache: CacheControl; origin: Origin }
  /**
   * `path` is the operator's argument joined onto the enclosing in_workdir path (normally none,
   * so the argument as written); a relative path is resolved against the parent's workdir.
   */
  | { kind: 'setWorkdir'; parent: NodeId; path: string; origin: Origin }
  | { kind: 'setEnv'; parent: NodeId; key: string; value: string; origin: Origin }
  /** `value` is the path as written; PATH becomes `(PATH or "") + ":" + value`. */
  | { kind: 'appendPath'; parent: NodeId; value: string; origin: Origin }
  | { kind: 'setEntrypoint'; parent: NodeId; value: string[]; origin: Origin }
  | { kind: 'setCmd'; parent: NodeId; value: string[]; origin: Origin }
  | { kind: 'setLabel'; parent: NodeId; key: string; value: string; origin: Origin }
  | { kind: 'setUser'; parent: NodeId; user: string; origin: Origin };

export interface PlanOutput {
  node: NodeId;
  /** The ground image literal, e.g. `app("prod")`; also the com.modus-continens.literal label. */
  literal: string;
  predicate: string;
  args: (string | string[])[];
}

export interface BuildPlan {
  nodes: PlanNode[];
  outputs: PlanOutput[];
}

export const LITERAL_LABEL = 'com.modus-continens.literal';
