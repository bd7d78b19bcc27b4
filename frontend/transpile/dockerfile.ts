/**
 * Build plan → a multi-stage Dockerfile for Docker's built-in frontend that builds the same
 * images: one stage `n_<id>` per plan node, one named stage per output image (build it with
 * `--target <stage>`). Pure: base image working directories are given, not looked up.
 *
 * Faithful to the LLB the Modus frontend makes (imagegen): runs are `/bin/sh -c` exec forms;
 * in_workdir/in_env/cache_key wrap the command in a small script instead of touching the image
 * config; relative `::copy` sources are resolved against the source image's working directory; a
 * merge with runs is one RUN with the sources bind-mounted, running the frontend's own script.
 * `::mount_*` become `RUN --mount=…` flags (the file then starts with `# syntax=docker/dockerfile:1`).
 */
import type { Diagnostic, SourceFile } from '../../grammar/source';
import { resolvePath } from '../imagegen/config';
import { mergeScript, MERGE_MOUNT_ROOT } from '../imagegen/merge';
import { scratch, type State } from '../llb';
import type { BuildPlan, CacheControl, NodeId, Origin, PlanNode, PlanOutput, RunMount } from '../planner/plan';
import { breaksLine, expandingJsonElement, hasWildcard, jsonArray, quoteWord, shellQuote } from './quote';
import { nodeWorkdirs, type KnownWorkdir } from './workdirs';

export interface TranspileOptions {
  /** Each base reference's configured WorkingDir (`''` when unset); others are assumed `/`. */
  baseWorkdirs?: ReadonlyMap<string, string>;
  /** The Modusfile, for positions in comments. */
  file?: SourceFile;
  /** Shown in the header comment. */
  goal?: string;
}

interface TranspiledTarget {
  literal: string;
  predicate: string;
  args: (string | string[])[];
  /** The stage to pass as `--target`. */
  stage: string;
}

interface TranspileResult {
  dockerfile: string;
  targets: TranspiledTarget[];
  /** Errors (a value a Dockerfile cannot hold) and warnings (what the Dockerfile cannot express). */
  diagnostics: Diagnostic[];
}

export function transpile(plan: BuildPlan, options: TranspileOptions = {}): TranspileResult {
  const writer = new DockerfileWriter(plan, options);
  return writer.write();
}

function hasRunMounts(node: PlanNode): boolean {
  if (node.kind === 'run') return (node.mounts?.length ?? 0) > 0;
  return node.kind === 'merge' && node.operations.some((op) => op.kind === 'run' && (op.mounts?.length ?? 0) > 0);
}

function stageName(id: NodeId): string {
  return `n_${id}`;
}

class DockerfileWriter {
  private readonly lines: string[] = [];
  private readonly diagnostics: Diagnostic[] = [];
  private readonly workdirs: KnownWorkdir[];
  private readonly warnedBases = new Set<string>();

  constructor(
    private readonly plan: BuildPlan,
    private readonly options: TranspileOptions,
  ) {
    this.workdirs = nodeWorkdirs(plan, options.baseWorkdirs ?? new Map());
  }

  write(): TranspileResult {
    const targets = outputStages(this.plan);
    this.header(targets);
    this.plan.nodes.forEach((node, id) => this.stage(node, id));
    targets.forEach((target, i) => {
      const output = this.plan.outputs[i]!;
      this.lines.push('', `# image ${oneLine(target.literal)}`, `FROM ${stageName(output.node)} AS ${target.stage}`);
    });
    return { dockerfile: this.lines.join('\n') + '\n', targets, diagnostics: this.diagnostics };
  }

  private header(targets: readonly TranspiledTarget[]): void {
    if (this.plan.nodes.some(hasRunMounts)) this.lines.push('# syntax=docker/dockerfile:1');
    this.lines.push('# modus transpile: one stage per build step, one named stage per image.');
    if (this.options.goal !== undefined) this.lines.push(`# goal: ${oneLine(this.options.goal)}`);
    this.lines.push('# Build an image with `docker build --target STAGE` (Docker\'s built-in frontend):');
    for (const target of targets) this.lines.push(`#   ${target.stage.padEnd(24)} ${oneLine(target.literal)}`);
  }

  private stage(node: PlanNode, id: NodeId): void {
    this.lines.push('', `# ${oneLine(node.origin.text)}${this.where(node.origin)}`);
    if (node.kind === 'from') {
      this.lines.push(`FROM ${node.ref} AS ${stageName(id)}`);
      return;
    }
    if (node.kind === 'scratch') {
      this.lines.push(`FROM scratch AS ${stageName(id)}`);
      return;
    }
    this.lines.push(`FROM ${stageName(node.parent)} AS ${stageName(id)}`);
    this.instructions(node);
  }

  private instructions(node: Exclude<PlanNode, { kind: 'from' | 'scratch' }>): void {
    switch (node.kind) {
      case 'run':
        this.cacheNotes(node.cache, node.origin, true);
        this.lines.push(`RUN ${[...this.mountFlags(node.mounts ?? []), jsonArray(['/bin/sh', '-c', runScript(node.command, node.cwd, node.env, node.cache.keys)])].join(' ')}`);
        return;
      case 'copyLocal':
        this.cacheNotes(node.cache, node.origin, false);
        this.lines.push(this.copyLocal(node.src, node.dst, node.origin));
        return;
      case 'copyImage':
        this.cacheNotes(node.cache, node.origin, false);
        this.lines.push(this.copyImage(node.image, node.src, node.dst, node.origin));
        return;
      case 'merge':
        this.merge(node);
        return;
      case 'setWorkdir':
        this.lines.push(`WORKDIR ${this.word(node.path, node.origin)}`);
        return;
      case 'setEnv':
        this.lines.push(`ENV ${this.word(node.key, node.origin)}=${this.word(node.value, node.origin)}`);
        return;
      case 'appendPath':
        this.lines.push(`ENV PATH="\${PATH}:${this.word(node.value, node.origin).slice(1)}`);
        return;
      case 'setEntrypoint':
        this.lines.push(`ENTRYPOINT ${jsonArray(node.value)}`);
        return;
      case 'setCmd':
        this.lines.push(`CMD ${jsonArray(node.value)}`);
        return;
      case 'setLabel':
        this.lines.push(`LABEL ${this.word(node.key, node.origin)}=${this.word(node.value, node.origin)}`);
        return;
      case 'setUser':
        this.lines.push(`USER ${this.word(node.user, node.origin)}`);
        return;
    }
  }

  private copyLocal(src: string, dst: string, origin: Origin): string {
    if (hasWildcard(src)) this.warn(origin, `the Dockerfile COPY reads \`${src}\` as a wildcard pattern`);
    return `COPY ${jsonArray([expandingJsonElement(src), expandingJsonElement(dst)])}`;
  }

  private copyImage(image: NodeId, src: string, dst: string, origin: Origin): string {
    const from = this.absoluteSource(image, src, origin);
    if (hasWildcard(from)) this.warn(origin, `the Dockerfile COPY reads \`${from}\` as a wildcard pattern`);
    return `COPY --from=${stageName(image)} ${jsonArray([expandingJsonElement(from), expandingJsonElement(dst)])}`;
  }

  /** A `::copy` source made absolute: Dockerfiles read `COPY --from` sources from `/`. */
  private absoluteSource(image: NodeId, src: string, origin: Origin): string {
    if (src.startsWith('/')) return src;
    return resolvePath(this.workdir(image, origin), src);
  }

  private workdir(id: NodeId, origin: Origin): string {
    const known = this.workdirs[id]!;
    if (known.known) return known.dir;
    if (!this.warnedBases.has(known.base)) {
      this.warnedBases.add(known.base);
      this.warn(origin, `the working directory of base image \`${known.base}\` is unknown (its configuration was not available); assumed /`);
    }
    return '/';
  }

  private merge(node: Extract<PlanNode, { kind: 'merge' }>): void {
    this.cacheNotes(node.cache, node.origin, node.operations.some((op) => op.kind === 'run'));
    if (node.operations.every((op) => op.kind !== 'run')) {
      // Copies only: the frontend makes one FileOp; here one COPY each (same files, more layers).
      for (const op of node.operations) {
        if (op.kind === 'copyLocal') this.lines.push(this.copyLocal(op.src, op.dst, op.origin));
        else if (op.kind === 'copyImage') this.lines.push(this.copyImage(op.image, op.src, op.dst, op.origin));
      }
      return;
    }
    const sources = new MergeSources();
    const { script, mounts } = mergeScript(node.operations, this.workdir(node.parent, node.origin), (op) => {
      if (op.kind === 'copyLocal') return { from: sources.state('context'), src: resolvePath('/', op.src) };
      return { from: sources.state(stageName(op.image)), src: resolvePath(this.workdir(op.image, op.origin), op.src) };
    });
    const flags = mounts.map((m) => {
      const name = sources.nameOf(m.from);
      const from = name === 'context' ? '' : `,from=${name}`;
      return `--mount=type=bind${from},source=/,target=${MERGE_MOUNT_ROOT}/${m.index}`;
    });
    const runMounts = node.operations.flatMap((op) => (op.kind === 'run' ? (op.mounts ?? []) : []));
    const places = new Set<string>();
    const distinct = runMounts.filter((m) => {
      const place = m.kind === 'ssh' ? `ssh ${m.id}` : m.target;
      return places.has(place) ? false : (places.add(place), true);
    });
    this.lines.push(`RUN ${[...flags, ...this.mountFlags(distinct), jsonArray(['/bin/sh', '-c', script])].join(' ')}`);
  }

  /** `--mount=type=…` for each `::mount_*` of a run; a value a flag cannot hold is an error. */
  private mountFlags(mounts: readonly RunMount[]): string[] {
    return mounts.map((m) => {
      const fields: [string, string][] =
        m.kind === 'cache'
          ? [['target', m.target], ['id', m.id]]
          : m.kind === 'secret'
            ? [['id', m.id], ['target', m.target]]
            : m.kind === 'ssh'
              ? [['id', m.id]]
              : [['target', m.target]];
      const unwritable = fields.find(([, value]) => /[\s,"']/.test(value));
      if (unwritable) this.error(m.origin, `${JSON.stringify(unwritable[1])} cannot be written in a RUN --mount flag (no blanks, commas or quotes)`);
      return `--mount=${[['type', m.kind], ...fields].map(([k, v]) => `${k}=${v}`).join(',')}`;
    });
  }

  private cacheNotes(cache: CacheControl, origin: Origin, keysExpressed: boolean): void {
    const lost: string[] = [];
    if (cache.noCache) lost.push('::no_cache');
    if (!keysExpressed && cache.keys.length > 0) lost.push('::cache_key');
    if (cache.probes.length > 0) lost.push('::cache_probe');
    if (cache.ttlSeconds.length > 0) lost.push('::cache_ttl');
    if (lost.length === 0) return;
    const message = `${lost.join(', ')} cannot be expressed in a Dockerfile; this step is cached as usual`;
    this.lines.push(`# note: ${message}`);
    this.warn(origin, message);
  }

  /** A double-quoted word, or an error when the value cannot be written on one line. */
  private word(value: string, origin: Origin): string {
    if (breaksLine(value)) this.error(origin, `a line break in ${JSON.stringify(value)} cannot be written in this Dockerfile instruction`);
    return quoteWord(value);
  }

  private where(origin: Origin): string {
    if (!origin.span) return '';
    const file = origin.span.file ?? this.options.file;
    return file ? `  (${file.location(origin.span.start)})` : '';
  }

  private warn(origin: Origin, message: string): void {
    this.diagnostics.push({ severity: 'warning', message, ...(origin.span ? { span: origin.span } : {}) });
  }

  private error(origin: Origin, message: string): void {
    this.diagnostics.push({ severity: 'error', message, ...(origin.span ? { span: origin.span } : {}) });
  }
}

/** Placeholder states standing for the merge's copy sources (the merge script only compares them). */
class MergeSources {
  private readonly byName = new Map<string, State>();

  state(name: string): State {
    let state = this.byName.get(name);
    if (!state) {
      state = scratch();
      this.byName.set(name, state);
    }
    return state;
  }

  nameOf(state: State): string {
    for (const [name, s] of this.byName) if (s === state) return name;
    throw new Error('internal: unknown merge source');
  }
}

/**
 * The script a RUN executes: the command itself, or, with in_workdir/in_env/cache_key, a wrapper
 * that creates and enters the directory, exports the variables and names the keys (a no-op `:`
 * whose text enters the step's cache key) before running the command with `/bin/sh -c`.
 */
export function runScript(command: string, cwd: string, env: readonly [string, string][], keys: readonly string[]): string {
  if (cwd === '' && env.length === 0 && keys.length === 0) return command;
  const steps: string[] = keys.map((k) => `: ${shellQuote(`modus cache key ${k}`)}`);
  if (cwd !== '') {
    const dir = shellQuote(cwd);
    steps.push(`{ [ -d ${dir} ] || mkdir -p ${dir}; }`, `cd ${dir}`);
  }
  for (const [key, value] of env) steps.push(`export ${key}=${shellQuote(value)}`);
  steps.push(`exec /bin/sh -c ${shellQuote(command)}`);
  return steps.join(' && ');
}

/** One stage name per output: `app("1.2", "dev")` → `app-1.2-dev`, unique, lowercase, no clash with base references. */
export function outputStages(plan: BuildPlan): TranspiledTarget[] {
  const taken = new Set<string>();
  for (const node of plan.nodes) if (node.kind === 'from') taken.add(node.ref.toLowerCase());
  taken.add('scratch');
  return plan.outputs.map((output) => {
    const base = stageBase(output);
    let name = base;
    for (let n = 2; taken.has(name) || /^n_[0-9]+$/.test(name); n++) name = `${base}-${n}`;
    taken.add(name);
    return { literal: output.literal, predicate: output.predicate, args: output.args, stage: name };
  });
}

function stageBase(output: PlanOutput): string {
  const words = [output.predicate, ...output.args.flat()];
  const name = words
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/[-.]+$/, '');
  return name === '' ? 'image' : name;
}

function oneLine(text: string): string {
  return text.replace(/\r?\n/g, '\\n');
}

