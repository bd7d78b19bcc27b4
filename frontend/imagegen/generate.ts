/**
 * Build plan → LLB states and image configurations: one State (the filesystem)
 * and one ImageConfig per plan node. Pure: base image configurations and the context source are
 * given; nothing here talks to the daemon.
 */
import type { SourceFile } from '../../grammar/source';
import { copy as copyAction, diff, FileAction, image, merge, mkfile, scratch, type MountOptions, type NetworkMode, type SourceMapFile, type State } from '../llb';
import type { MetadataOptions, OpOptions, Platform } from '../llb/types';
import { mountPlace, type BuildPlan, type CacheControl, type MergeOperation, type NodeId, type Origin, type PlanNode, type RunMount } from '../planner/plan';
import {
  absoluteWorkdir,
  addHistory,
  appendPath,
  inheritConfig,
  resolvePath,
  scratchConfig,
  setCmd,
  setEntrypoint,
  setEnv,
  setLabel,
  setUser,
  setWorkdir,
  type ImageConfig,
} from './config';
import { mergeScript, MERGE_MOUNT_ROOT } from './merge';
import { describeKey, withBuildNonce, type NoCacheRequest, type StepCacheKey } from '../caching/keys';

export interface BaseImage {
  /** The reference to pull, normalised and pinned by digest when one is known. */
  ref: string;
  config: ImageConfig;
  /** The filesystem when it is not an image to pull (a directory named context). */
  fs?: State;
}

export interface GenerateOptions {
  platform: Platform;
  network: NetworkMode;
  noCache: NoCacheRequest;
  /** The build context (`local://context` with the .dockerignore excludes). */
  context: State;
  /** Resolved base images, keyed by the reference as written in `from(...)`. */
  bases: ReadonlyMap<string, BaseImage>;
  /** The Modusfile, for positions in step names and source maps. */
  file: SourceFile;
  sourceMap?: SourceMapFile;
  /** What enters a step's cache key beyond its inputs (cache_key values, probe answers, TTL buckets). */
  cacheKeyOf?: (node: NodeId, cache: CacheControl) => StepCacheKey;
  /** Images taken from the cache repository instead of being built (MODUS_CACHE_REPO). */
  substitutes?: ReadonlyMap<NodeId, GeneratedImage>;
  /**
   * MODUS_EXPORT_ONLY: no step ignores the cache (neither `no-cache` nor `::no_cache`), because the
   * build running alongside (`modus build`'s one solve) applied them and this one takes its results.
   */
  exportOnly?: boolean;
  /**
   * BuildKit has MergeOp and DiffOp (LLB caps `mergeop`, `diffop`, BuildKit >= 0.10): a `::merge`
   * with runs is then built from its steps and a diff instead of one shell script.
   */
  mergeOp?: boolean;
  /**
   * A value of this build alone (build arg MODUS_BUILD_NONCE, else random). A step that must run
   * again and has a cache mount gets it in its cache key instead of BuildKit's ignore_cache, which
   * would give it empty cache mounts. Absent: such steps ignore the cache like the others.
   */
  buildNonce?: string;
}

export interface GeneratedImage {
  fs: State;
  config: ImageConfig;
}

export function generateImages(plan: BuildPlan, options: GenerateOptions): GeneratedImage[] {
  const images: GeneratedImage[] = [];
  plan.nodes.forEach((node, id) => images.push(options.substitutes?.get(id) ?? generateNode(node, id, images, options)));
  return images;
}

function generateNode(node: PlanNode, id: NodeId, built: readonly GeneratedImage[], options: GenerateOptions): GeneratedImage {
  switch (node.kind) {
    case 'from': {
      const base = options.bases.get(node.ref);
      if (!base) throw new Error(`internal: base image ${node.ref} was not resolved`);
      const fs = base.fs ?? image(base.ref, { ...opOptions(node.origin, options), platform: options.platform });
      return { fs, config: inheritConfig(base.config, options.platform) };
    }
    case 'scratch':
      return { fs: scratch(), config: scratchConfig(options.platform) };
    case 'run': {
      const parent = built[node.parent]!;
      const state = runState(parent, node.cwd, node.env, options);
      return layer(parent, execOutput(state, node, id, options), node.origin);
    }
    case 'copyLocal': {
      const parent = built[node.parent]!;
      const action = salted(copyAction(options.context, `/${node.src}`, node.dst, COPY_OPTIONS), cacheKey(id, node.cache, options));
      return layer(parent, fileState(parent).file(action, stepOptions(node.origin, node.cache, id, options)), node.origin);
    }
    case 'copyImage': {
      const parent = built[node.parent]!;
      const source = built[node.image]!;
      const from = source.fs.withDir(absoluteWorkdir(source.config));
      const action = salted(copyAction(from, node.src, node.dst, COPY_OPTIONS), cacheKey(id, node.cache, options));
      return layer(parent, fileState(parent).file(action, stepOptions(node.origin, node.cache, id, options)), node.origin);
    }
    case 'merge':
      return layer(built[node.parent]!, mergeState(node, id, built, options), node.origin);
    case 'setWorkdir':
      return configStep(built[node.parent]!, (c) => setWorkdir(c, node.path), node.origin);
    case 'setEnv':
      return configStep(built[node.parent]!, (c) => setEnv(c, node.key, node.value), node.origin);
    case 'appendPath':
      return configStep(built[node.parent]!, (c) => appendPath(c, node.value), node.origin);
    case 'setEntrypoint':
      return configStep(built[node.parent]!, (c) => setEntrypoint(c, node.value), node.origin);
    case 'setCmd':
      return configStep(built[node.parent]!, (c) => setCmd(c, node.value), node.origin);
    case 'setLabel':
      return configStep(built[node.parent]!, (c) => setLabel(c, node.key, node.value), node.origin, false);
    case 'setUser':
      return configStep(built[node.parent]!, (c) => setUser(c, node.user), node.origin);
  }
}

/** Docker COPY: a directory's contents, parents created, a symlink named as the source followed (links inside kept). */
const COPY_OPTIONS = { copyDirContentsOnly: true, createDestPath: true, followSymlinks: true, allowWildcard: false } as const;

/** A state positioned for file actions on `image`: its filesystem, at its working directory. */
function fileState(image: GeneratedImage): State {
  return image.fs.withDir(absoluteWorkdir(image.config));
}

/** A state carrying `image`'s env, user and working directory (plus in_workdir/in_env) for a run. */
export function runState(image: GeneratedImage, cwd: string, env: readonly [string, string][], options: GenerateOptions): State {
  let state = scratch().withOutput(image.fs.output).withImageConfig({ config: { Env: image.config.config.Env ?? [] } });
  state = state.withDir(resolvePath(absoluteWorkdir(image.config), cwd || '.').replace(/\/$/, '') || '/');
  state = state.withUser(image.config.config.User ?? '');
  for (const [key, value] of env) state = state.withEnv(key, value);
  return state.withNetwork(options.network).withPlatform(options.platform);
}

function execOutput(state: State, node: Extract<PlanNode, { kind: 'run' }>, id: NodeId, options: GenerateOptions): State {
  const mounts = node.mounts ?? [];
  const rerun = rerunOf(node.origin, node.cache, options, mounts);
  return state.run({
    args: ['/bin/sh', '-c', node.command],
    mounts: [...buildMounts(mounts, state.dir()), ...saltMounts(stepKey(id, node.cache, options, rerun))],
    ...stepOptions(node.origin, node.cache, id, options, rerun),
  });
}

/**
 * The `::mount_*` mounts of a run: relative targets from its working directory, SSH agents at
 * BuildKit's usual sockets (`/run/buildkit/ssh_agent.N`, the first named by SSH_AUTH_SOCK).
 */
export function buildMounts(mounts: readonly RunMount[], dir: string): MountOptions[] {
  let agents = 0;
  return mounts.map((m): MountOptions => {
    switch (m.kind) {
      case 'cache':
        return { type: 'cache', dest: resolvePath(dir, m.target), id: m.id, sharing: 'shared' };
      case 'secret':
        return { type: 'secret', dest: resolvePath(dir, m.target), id: m.id };
      case 'ssh':
        return { type: 'ssh', dest: `/run/buildkit/ssh_agent.${agents++}`, id: m.id };
      case 'tmpfs':
        return { type: 'tmpfs', dest: resolvePath(dir, m.target) };
    }
  });
}

/** The path of the salt file a keyed exec sees (under /dev, a tmpfs: nothing reaches the layer). */
const CACHE_KEY_MOUNT = '/dev/.modus-cache-key';
const SALT_FILE = '/.modus-cache-key';

function cacheKey(id: NodeId, cache: CacheControl, options: GenerateOptions): StepCacheKey {
  return options.cacheKeyOf?.(id, cache) ?? { parts: [] };
}

/** How a step is made to run again: not at all, by BuildKit's ignore_cache, or by the build's nonce in its key. */
type Rerun = 'no' | 'ignoreCache' | 'nonce';

function rerunOf(origin: Origin, cache: CacheControl, options: GenerateOptions, mounts: readonly RunMount[] = []): Rerun {
  const ignores = cache.noCache || options.noCache.all || origin.predicates.some((p) => options.noCache.predicates.includes(p));
  if (!ignores) return 'no';
  // The nonce stays under MODUS_EXPORT_ONLY: `modus build` gives all its builds the same one.
  if (options.buildNonce !== undefined && mounts.some((m) => m.kind === 'cache')) return 'nonce';
  return options.exportOnly ? 'no' : 'ignoreCache';
}

/** The step's cache key, with the build's nonce when that is how it runs again. */
function stepKey(id: NodeId, cache: CacheControl, options: GenerateOptions, rerun: Rerun): StepCacheKey {
  const key = cacheKey(id, cache, options);
  return rerun === 'nonce' ? withBuildNonce(key, options.buildNonce!) : key;
}

/** An exec's salt enters its cache key as a read-only mount of a file holding it. */
function saltMounts(key: StepCacheKey): MountOptions[] {
  if (key.salt === undefined) return [];
  return [{ dest: CACHE_KEY_MOUNT, from: scratch().file(mkfile('/salt', 0o444, key.salt)), readonly: true }];
}

/** A FileOp's salt: a file written and removed again within the op (no trace in the layer). */
function salted(action: FileAction, key: StepCacheKey): FileAction {
  if (key.salt === undefined) return action;
  return prefixSalt(action, key.salt).rm(SALT_FILE, { allowNotFound: true });
}

function prefixSalt(action: FileAction, salt: string): FileAction {
  let chain: FileAction = mkfile(SALT_FILE, 0o444, salt);
  for (const spec of action.specs()) {
    if (spec.kind !== 'copy') throw new Error('internal: only copies are salted');
    chain = chain.copy(spec.from, spec.src, spec.dest, spec.options);
  }
  return chain;
}

function mergeState(node: Extract<PlanNode, { kind: 'merge' }>, id: NodeId, built: readonly GeneratedImage[], options: GenerateOptions): State {
  const parent = built[node.parent]!;
  if (node.operations.every((op) => op.kind !== 'run')) {
    const action = salted(mergeCopies(node.operations, parent, built, options), cacheKey(id, node.cache, options));
    return fileState(parent).file(action, stepOptions(node.origin, node.cache, id, options));
  }
  if (options.mergeOp) return mergeOfSteps(node, id, built, options);
  const { script, mounts } = mergeScript(node.operations, absoluteWorkdir(parent.config), (op) => copySourceOf(op, built, options));
  const runMounts = mergeRunMounts(node.operations);
  const rerun = rerunOf(node.origin, node.cache, options, runMounts);
  const state = runState(parent, '', [], options);
  return state.run({
    args: ['/bin/sh', '-c', script],
    mounts: [
      ...mounts.map((m) => ({ dest: `${MERGE_MOUNT_ROOT}/${m.index}`, from: m.from, readonly: true })),
      ...buildMounts(runMounts, state.dir()),
      ...saltMounts(stepKey(id, node.cache, options, rerun)),
    ],
    ...stepOptions(node.origin, node.cache, id, options, rerun),
  });
}

/** The mounts of the runs of a merge, once each (the planner allows one mount at a place). */
function mergeRunMounts(operations: readonly MergeOperation[]): RunMount[] {
  const byPlace = new Map<string, RunMount>();
  for (const op of operations) {
    if (op.kind !== 'run') continue;
    for (const m of op.mounts ?? []) if (!byPlace.has(mountPlace(m))) byPlace.set(mountPlace(m), m);
  }
  return [...byPlace.values()];
}

/**
 * A merge with runs where BuildKit has MergeOp and DiffOp: every operation is a step of its own
 * on the parent (cached on its own, copies without `cp` in the image), and the merge's layer is
 * the diff from the parent to the last step, stacked on the parent. The diff starts from the
 * parent under a step that changes nothing: from the parent itself BuildKit would keep the steps'
 * layers (one per step) instead of computing one.
 */
function mergeOfSteps(node: Extract<PlanNode, { kind: 'merge' }>, id: NodeId, built: readonly GeneratedImage[], options: GenerateOptions): State {
  const parent = built[node.parent]!;
  const key = cacheKey(id, node.cache, options);
  const workdir = absoluteWorkdir(parent.config);
  let upper = parent;
  for (const op of node.operations) {
    if (op.kind === 'run') {
      const runMounts = op.mounts ?? [];
      const rerun = rerunOf(op.origin, node.cache, options, runMounts);
      const state = runState(upper, op.cwd, op.env, options);
      const mounts = [...buildMounts(runMounts, state.dir()), ...saltMounts(stepKey(id, node.cache, options, rerun))];
      upper = { fs: state.run({ args: ['/bin/sh', '-c', op.command], mounts, ...stepOptions(op.origin, node.cache, id, options, rerun) }), config: parent.config };
    } else {
      const step = stepOptions(op.origin, node.cache, id, options);
      const { from, src } = copySourceOf(op, built, options);
      const action = salted(copyAction(from, src, resolvePath(workdir, op.dst), COPY_OPTIONS), key);
      upper = { fs: fileState(upper).file(action, step), config: parent.config };
    }
  }
  const named = stepOptions(node.origin, node.cache, id, options);
  const lower = parent.fs.file(FileAction.rm(MERGE_LOWER_MARK, { allowNotFound: true }), { ...named, customName: `${named.customName} [merge base]` });
  const changes = diff(lower, upper.fs, { ...named, customName: `${named.customName} [merge diff]` });
  return merge([parent.fs, changes], named);
}

/** A path no image has: removing it changes nothing. */
const MERGE_LOWER_MARK = '/.modus-merge-lower';

/** A merge of copies only: one FileOp with one copy action each, no shell needed. */
function mergeCopies(operations: readonly MergeOperation[], parent: GeneratedImage, built: readonly GeneratedImage[], options: GenerateOptions): FileAction {
  let chain: FileAction | undefined;
  const workdir = absoluteWorkdir(parent.config);
  for (const op of operations) {
    if (op.kind === 'run') continue;
    const { from, src } = copySourceOf(op, built, options);
    const dest = resolvePath(workdir, op.dst);
    chain = chain ? chain.copy(from, src, dest, COPY_OPTIONS) : copyAction(from, src, dest, COPY_OPTIONS);
  }
  return chain!;
}

/** Where a copy inside a merge reads from: a state and an absolute path in it. */
function copySourceOf(op: Exclude<MergeOperation, { kind: 'run' }>, built: readonly GeneratedImage[], options: GenerateOptions): { from: State; src: string } {
  if (op.kind === 'copyLocal') return { from: options.context, src: resolvePath('/', op.src) };
  const source = built[op.image]!;
  return { from: source.fs, src: resolvePath(absoluteWorkdir(source.config), op.src) };
}

function layer(parent: GeneratedImage, fs: State, origin: Origin): GeneratedImage {
  return { fs, config: addHistory(parent.config, { created_by: origin.text, comment: 'modus' }) };
}

function configStep(parent: GeneratedImage, change: (c: ImageConfig) => ImageConfig, origin: Origin, history = true): GeneratedImage {
  const config = change(parent.config);
  return { fs: parent.fs, config: history ? addHistory(config, { created_by: origin.text, comment: 'modus', empty_layer: true }) : config };
}

function stepOptions(origin: Origin, cache: CacheControl, id: NodeId, options: GenerateOptions, rerun = rerunOf(origin, cache, options)): OpOptions {
  // `[no-cache]` in the name lets `modus build --explain-cache` tell why the step ran.
  const suffix = [describeKey(cacheKey(id, cache, options)), rerun !== 'no' ? '[no-cache]' : ''].filter((s) => s !== '').join(' ');
  const meta: MetadataOptions = { customName: stepName(origin, options.file) + (suffix ? ` ${suffix}` : '') };
  if (rerun === 'ignoreCache') meta.ignoreCache = true;
  return { ...meta, ...locationOptions(origin, options) };
}

function opOptions(origin: Origin, options: GenerateOptions): OpOptions {
  return { customName: stepName(origin, options.file), ...locationOptions(origin, options) };
}

function locationOptions(origin: Origin, options: GenerateOptions): OpOptions {
  if (!options.sourceMap || !origin.span) return {};
  const start = options.file.position(origin.span.start);
  const end = options.file.position(origin.span.end);
  return {
    locations: [options.sourceMap.location([{ start: { line: start.line, character: start.column - 1 }, end: { line: end.line, character: end.column - 1 } }])],
  };
}

/** The progress line of a step: `app("prod") › run("make") Modusfile:12:3`. */
export function stepName(origin: Origin, file: SourceFile): string {
  const where = origin.span ? ` ${file.location(origin.span.start)}` : '';
  const image = origin.image && origin.image !== origin.text ? `${origin.image} › ` : '';
  return `${image}${origin.text}${where}`;
}
