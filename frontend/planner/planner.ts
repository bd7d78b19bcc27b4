/**
 * Proofs → build plan. Walks each chosen proof in depth-first body order, keeping a build state
 * (current image, in_workdir path, in_env variables, the enclosing ::merge, cache control), and
 * emits a hash-consed DAG of plan nodes.
 *
 * Proofs nest as deeply as the program's rules and operators do (thousands of levels), so the
 * walk is not recursive: each walking step is a generator that yields the sub-walk it needs
 * and gets back that sub-walk's image (`Walk`), and `finish` runs them on a stack of its own.
 */
import type { Diagnostic, Span } from '../../grammar/source';
import { isUserPredicate, literalText, operatorSignature, operatorText, parseOperatorMarker, termText } from '../language';
import type { ProofNode } from '../solver/proof';
import type { IRLiteral } from '../language/ir';
import {
  isDefaultCache,
  noCacheControl,
  parseDuration,
  unionCache,
  withKey,
  withNoCache,
  withProbe,
  withTtl,
} from './cache';
import { joinPath, staysInsideContext } from './paths';
import {
  LITERAL_LABEL,
  mountPlace,
  type BuildPlan,
  type CacheControl,
  type MergeOperation,
  type RunMount,
  type NodeId,
  type Origin,
  type PlanNode,
  type PlanOutput,
} from './plan';

export interface PlannedSolution {
  /** The proof of the whole goal: one child per goal literal, in goal order. */
  proof: ProofNode;
  /** Which goal literal (index into proof.children) is the image literal. */
  imageIndex: number;
}

interface PlanResult {
  plan: BuildPlan;
  /** Positioned errors; when any is present the plan is incomplete and must not be built. */
  diagnostics: Diagnostic[];
}

export function planBuild(solutions: readonly PlannedSolution[]): PlanResult {
  const planner = new Planner();
  for (const solution of solutions) planner.addSolution(solution);
  return planner.result();
}

/** What applies to the steps of an operand; `current` (the image so far) is threaded separately. */
interface Scope {
  /** Accumulated in_workdir path ('' = the image's workdir). */
  cwd: string;
  /** in_env variables in application order, one entry per key. */
  env: [string, string][];
  cache: CacheControl;
  /** Build-time mounts from enclosing ::mount_* operators, outermost first. */
  mounts: RunMount[];
  /** Set inside a ::merge: operations are collected instead of becoming nodes. */
  merge: MergeCollector | undefined;
  /** The innermost image literal being built (Origin.image). */
  image: string;
  /** User predicates from that image literal down to here (Origin.predicates). */
  predicates: string[];
}

interface MergeCollector {
  operations: MergeOperation[];
  cache: CacheControl;
}

type Current = NodeId | undefined;

/** A walking step: yields the sub-walks it needs (each resumed with the image it made), returns the image. */
interface Walk extends Generator<Walk, Current, Current> {}

/** Siblings `nodes[from .. to)` of one proof node's body; `ends[i]` pairs a begin marker with its end. */
interface Sequence {
  nodes: readonly ProofNode[];
  ends: Int32Array;
  from: number;
  to: number;
}

/** Runs a walk and every sub-walk it yields, on an explicit stack; returns the walk's image. */
function finish(walk: Walk): Current {
  const stack: Walk[] = [walk];
  let value: Current;
  while (stack.length > 0) {
    const step = stack[stack.length - 1]!.next(value);
    if (step.done) {
      stack.pop();
      value = step.value;
    } else {
      stack.push(step.value);
      value = undefined;
    }
  }
  return value;
}

class Planner {
  private readonly nodes: PlanNode[] = [];
  private readonly nodeIds = new Map<string, NodeId>();
  /** Sub-images by ground literal (plus cache control, when any applies). */
  private readonly literalImages = new Map<string, NodeId>();
  private readonly outputs: PlanOutput[] = [];
  private readonly outputLiterals = new Set<string>();
  private readonly diagnostics: Diagnostic[] = [];
  private readonly diagnosticKeys = new Set<string>();

  addSolution(solution: PlannedSolution): void {
    const imageProof = solution.proof.children[solution.imageIndex];
    if (!imageProof) {
      this.error(`internal error: the goal has no literal at index ${solution.imageIndex}`, solution.proof.literal.span);
      return;
    }
    const literal = literalText(imageProof.literal);
    if (this.outputLiterals.has(literal)) return;
    this.outputLiterals.add(literal);

    const scope: Scope = { cwd: '', env: [], cache: noCacheControl(), mounts: [], merge: undefined, image: literal, predicates: [] };
    let node = finish(this.walkNode(imageProof, scope, undefined));
    if (node === undefined) {
      this.error(`\`${literal}\` does not build an image`, imageProof.literal.span);
      return;
    }
    if (!this.isLiteralLabel(node, literal)) {
      node = this.add({
        kind: 'setLabel',
        parent: node,
        key: LITERAL_LABEL,
        value: literal,
        origin: this.origin(scope, literal, imageProof.literal.span),
      });
    }
    this.outputs.push({
      node,
      literal,
      predicate: imageProof.literal.predicate,
      args: imageProof.literal.args.map(outputArg),
    });
  }

  result(): PlanResult {
    return { plan: { nodes: this.nodes, outputs: this.outputs }, diagnostics: this.diagnostics };
  }

  // ---- walking ----

  private *walkSequence(sequence: Sequence, scope: Scope, current: Current): Walk {
    const { nodes, ends, to } = sequence;
    for (let i = sequence.from; i < to; i++) {
      const child = nodes[i]!;
      const marker = child.via.kind === 'marker' ? parseOperatorMarker(child.literal.predicate) : undefined;
      if (!marker) {
        current = child.via.kind === 'clause' ? yield this.walkRule(child, scope, current) : this.walkLeaf(child, scope, current);
        continue;
      }
      const end = marker.edge === 'begin' ? ends[i]! : -1;
      if (end < 0 || end >= to) {
        this.error(`internal error: unpaired operator marker \`${literalText(child.literal)}\``, child.literal.span);
        continue;
      }
      current = yield this.applyOperator(marker.op, child.literal, { nodes, ends, from: i + 1, to: end }, scope, current);
      i = end;
    }
    return current;
  }

  private *walkNode(node: ProofNode, scope: Scope, current: Current): Walk {
    if (node.via.kind === 'clause') return yield this.walkRule(node, scope, current);
    return this.walkLeaf(node, scope, current);
  }

  private walkLeaf(node: ProofNode, scope: Scope, current: Current): Current {
    return node.via.kind === 'builtin' ? this.walkBuiltin(node.literal, scope, current) : current;
  }

  private *walkRule(node: ProofNode, scope: Scope, current: Current): Walk {
    const predicates = withPredicate(scope.predicates, node.literal.predicate);
    if (current !== undefined) return yield this.walkSequence(sequenceOf(node.children), { ...scope, predicates }, current);
    return yield this.buildLiteralImage(node, scope);
  }

  /** A user literal reached before any base image: an image of its own, shared by ground literal. */
  private *buildLiteralImage(node: ProofNode, scope: Scope): Walk {
    const literal = literalText(node.literal);
    const context = { cache: isDefaultCache(scope.cache) ? undefined : scope.cache, mounts: scope.mounts.length > 0 ? scope.mounts : undefined };
    const sharingKey = context.cache || context.mounts ? `${literal} ${JSON.stringify(context, withoutOrigins)}` : literal;
    const known = this.literalImages.get(sharingKey);
    if (known !== undefined) return known;

    const inner: Scope = {
      cwd: '',
      env: [],
      cache: scope.cache,
      mounts: scope.mounts,
      merge: undefined,
      image: literal,
      predicates: withPredicate([], node.literal.predicate),
    };
    const built = yield this.walkSequence(sequenceOf(node.children), inner, undefined);
    if (built === undefined) return undefined;
    const labelled = this.add({
      kind: 'setLabel',
      parent: built,
      key: LITERAL_LABEL,
      value: literal,
      origin: this.origin(inner, literal, node.literal.span),
    });
    this.literalImages.set(sharingKey, labelled);
    return labelled;
  }

  private walkBuiltin(literal: IRLiteral, scope: Scope, current: Current): Current {
    switch (literal.predicate) {
      case 'from':
        return this.walkFrom(literal, scope, current);
      case 'run':
        return this.walkRun(literal, scope, current);
      case 'copy':
        return this.walkCopy(literal, scope, current);
      default:
        return current;
    }
  }

  private walkFrom(literal: IRLiteral, scope: Scope, current: Current): Current {
    const [ref] = this.stringArgs(literal, 1);
    if (ref === undefined) return current;
    if (scope.merge) return this.error('cannot start a new image inside ::merge', literal.span, current);
    if (current !== undefined) return this.error('`from` must come first in an image expression', literal.span, current);
    const origin = this.origin(scope, literalText(literal), literal.span);
    return this.add(ref === 'scratch' ? { kind: 'scratch', origin } : { kind: 'from', ref, origin });
  }

  private walkRun(literal: IRLiteral, scope: Scope, current: Current): Current {
    const [command] = this.stringArgs(literal, 1);
    if (command === undefined) return current;
    const text = literalText(literal);
    if (current === undefined) return this.errorNoImage(text, literal.span);
    const origin = this.origin(scope, text, literal.span);
    const mounts = scope.mounts.length > 0 ? { mounts: scope.mounts } : {};
    if (scope.merge) {
      this.collect(scope, { kind: 'run', command, cwd: scope.cwd, env: copyEnv(scope.env), ...mounts, origin });
      return current;
    }
    return this.add({ kind: 'run', parent: current, command, cwd: scope.cwd, env: copyEnv(scope.env), ...mounts, cache: scope.cache, origin });
  }

  private walkCopy(literal: IRLiteral, scope: Scope, current: Current): Current {
    const [src, dstArg] = this.stringArgs(literal, 2);
    if (src === undefined || dstArg === undefined) return current;
    const text = literalText(literal);
    if (!staysInsideContext(src)) {
      return this.error('copy source must be a relative path inside the build context', literal.span, current);
    }
    if (current === undefined) return this.errorNoImage(text, literal.span);
    const dst = joinPath(scope.cwd, dstArg);
    const origin = this.origin(scope, text, literal.span);
    if (scope.merge) {
      this.collect(scope, { kind: 'copyLocal', src, dst, origin });
      return current;
    }
    return this.add({ kind: 'copyLocal', parent: current, src, dst, cache: scope.cache, origin });
  }

  // ---- operators ----

  private *applyOperator(op: string, begin: IRLiteral, operand: Sequence, scope: Scope, current: Current): Walk {
    const args = begin.args.slice(1);
    const text = operatorText(op, args);
    const span = begin.span;
    if (operatorSignature(op)?.family === 'image') return yield this.applyImageOperator(op, begin, operand, scope, current);
    switch (op) {
      case 'copy':
        return yield this.applyCopyFromImage(begin, operand, scope, current);
      case 'in_workdir': {
        const [path] = this.stringArgs(begin, 1, 1);
        if (path === undefined) return current;
        return yield this.walkSequence(operand, { ...scope, cwd: joinPath(scope.cwd, path) }, current);
      }
      case 'in_env': {
        const [key, value] = this.stringArgs(begin, 2, 1);
        if (key === undefined || value === undefined) return current;
        return yield this.walkSequence(operand, { ...scope, env: withEnv(scope.env, key, value) }, current);
      }
      case 'merge':
        return yield this.applyMerge(operand, scope, current, text, span);
      case 'no_cache':
        return yield this.walkSequence(operand, { ...scope, cache: withNoCache(scope.cache) }, current);
      case 'cache_key': {
        const [key] = this.stringArgs(begin, 1, 1);
        if (key === undefined) return current;
        return yield this.walkSequence(operand, { ...scope, cache: withKey(scope.cache, key) }, current);
      }
      case 'cache_probe': {
        const [command] = this.stringArgs(begin, 1, 1);
        if (command === undefined) return current;
        const cache = withProbe(scope.cache, command, current, this.origin(scope, text, span));
        return yield this.walkSequence(operand, { ...scope, cache }, current);
      }
      case 'cache_ttl': {
        const [duration] = this.stringArgs(begin, 1, 1);
        if (duration === undefined) return current;
        const parsed = parseDuration(duration);
        if ('error' in parsed) {
          this.error(parsed.error, span);
          return yield this.walkSequence(operand, scope, current);
        }
        return yield this.walkSequence(operand, { ...scope, cache: withTtl(scope.cache, parsed.seconds) }, current);
      }
      case 'mount_cache':
      case 'mount_secret':
      case 'mount_ssh':
      case 'mount_tmpfs': {
        const mount = this.mount(op, begin, scope, this.origin(scope, text, span));
        if (mount === undefined) return yield this.walkSequence(operand, scope, current);
        return yield this.walkSequence(operand, { ...scope, mounts: withMount(scope.mounts, mount) }, current);
      }
      default:
        this.error(`unknown operator \`::${op}\``, span);
        return yield this.walkSequence(operand, scope, current);
    }
  }

  /** The mount a `::mount_*` operator gives the runs of its operand (defaults as in Dockerfiles). */
  private mount(op: string, begin: IRLiteral, scope: Scope, origin: Origin): RunMount | undefined {
    const args = this.stringArgs(begin, begin.args.length - 1, 1);
    if (args.some((a) => a === undefined)) return undefined;
    const [first, second] = args as string[];
    switch (op) {
      case 'mount_cache': {
        const target = joinPath(scope.cwd, first!);
        return { kind: 'cache', target, id: second ?? target, origin };
      }
      case 'mount_secret':
        if (!validMountId(first!)) return this.badMountId(op, first!, begin.span);
        return { kind: 'secret', id: first!, target: second === undefined ? `/run/secrets/${first}` : joinPath(scope.cwd, second), origin };
      case 'mount_ssh':
        if (first !== undefined && !validMountId(first)) return this.badMountId(op, first, begin.span);
        return { kind: 'ssh', id: first ?? 'default', origin };
      default:
        return { kind: 'tmpfs', target: joinPath(scope.cwd, first!), origin };
    }
  }

  private badMountId(op: string, id: string, span: Span | undefined): undefined {
    this.error(`\`::${op}\`: \`${id}\` is not a valid id (letters, digits, \`.\`, \`_\`, \`-\`)`, span);
    return undefined;
  }

  /** `::copy`: the operand is an independent image; the copy lands in the current one. */
  private *applyCopyFromImage(begin: IRLiteral, operand: Sequence, scope: Scope, current: Current): Walk {
    const [src, dstArg] = this.stringArgs(begin, 2, 1);
    if (src === undefined || dstArg === undefined) return current;
    const text = operatorText('copy', begin.args.slice(1));
    const image = yield this.walkSequence(operand, independentScope(scope), undefined);
    if (image === undefined) return this.error(`the operand of \`${text}\` does not build an image`, begin.span, current);
    if (current === undefined) return this.errorNoImage(text, begin.span);
    const dst = joinPath(scope.cwd, dstArg);
    const origin = this.origin(scope, text, begin.span);
    if (scope.merge) {
      this.collect(scope, { kind: 'copyImage', image, src, dst, origin });
      return current;
    }
    return this.add({ kind: 'copyImage', parent: current, image, src, dst, cache: scope.cache, origin });
  }

  /** `::set_*` and `::append_path`: the operand starts a new image, then one config edit. */
  private *applyImageOperator(op: string, begin: IRLiteral, operand: Sequence, scope: Scope, current: Current): Walk {
    const text = operatorText(op, begin.args.slice(1));
    if (scope.merge) return this.error(`cannot use \`::${op}\` inside ::merge`, begin.span, current);
    if (current !== undefined) {
      return this.error(`\`::${op}\` must be applied to an image expression that comes first`, begin.span, current);
    }
    const parent = yield this.walkSequence(operand, scope, undefined);
    if (parent === undefined) return this.error(`the operand of \`${text}\` does not build an image`, begin.span, current);
    const origin = this.origin(scope, text, begin.span);
    if (op === 'set_entrypoint' || op === 'set_cmd') {
      const value = this.listArg(begin);
      if (value === undefined) return parent;
      return this.add(op === 'set_cmd' ? { kind: 'setCmd', parent, value, origin } : { kind: 'setEntrypoint', parent, value, origin });
    }
    const args = this.stringArgs(begin, operatorSignature(op)!.params.length, 1);
    if (args.some((a) => a === undefined)) return parent;
    const [first, second] = args as string[];
    switch (op) {
      case 'set_env':
        return this.add({ kind: 'setEnv', parent, key: first!, value: second!, origin });
      case 'set_label':
        return this.add({ kind: 'setLabel', parent, key: first!, value: second!, origin });
      case 'set_workdir':
        return this.add({ kind: 'setWorkdir', parent, path: joinPath(scope.cwd, first!), origin });
      case 'set_user':
        return this.add({ kind: 'setUser', parent, user: first!, origin });
      default:
        return this.add({ kind: 'appendPath', parent, value: first!, origin });
    }
  }

  /** `::merge`: one step for everything inside; nested merges flatten into the outer one. */
  private *applyMerge(operand: Sequence, scope: Scope, current: Current, text: string, span: Span | undefined): Walk {
    if (scope.merge) return yield this.walkSequence(operand, scope, current);
    if (current === undefined) return this.errorNoImage(text, span);
    const collector: MergeCollector = { operations: [], cache: scope.cache };
    yield this.walkSequence(operand, { ...scope, merge: collector }, current);
    if (collector.operations.length === 0) return current;
    return this.add({
      kind: 'merge',
      parent: current,
      operations: collector.operations,
      cache: collector.cache,
      origin: this.origin(scope, text, span),
    });
  }

  private collect(scope: Scope, operation: MergeOperation): void {
    const collector = scope.merge!;
    if (operation.kind === 'run') this.checkMergeMounts(collector.operations, operation.mounts ?? []);
    collector.operations.push(operation);
    collector.cache = unionCache(collector.cache, scope.cache);
  }

  /**
   * Where a merge is one exec (BuildKit v0.8) its runs share their mounts, so two different mounts
   * at one place cannot both be there: an error at the later one, on every daemon alike.
   */
  private checkMergeMounts(earlier: readonly MergeOperation[], mounts: readonly RunMount[]): void {
    for (const mount of mounts) {
      const clash = earlier
        .flatMap((op) => (op.kind === 'run' ? (op.mounts ?? []) : []))
        .find((other) => mountPlace(other) === mountPlace(mount) && JSON.stringify(other, withoutOrigins) !== JSON.stringify(mount, withoutOrigins));
      if (!clash) continue;
      this.error(
        `\`${mount.origin.text}\` and \`${clash.origin.text}\` of an earlier run in the same ::merge are two mounts at \`${mountPlace(mount)}\`: ` +
          'the runs of a merge share their mounts; give them the same mount, or another place',
        mount.origin.span,
      );
    }
  }

  // ---- nodes ----

  /** Hash-consing: a node with the same content (origins aside) as an existing one is that node. */
  private add(node: PlanNode): NodeId {
    const key = JSON.stringify(node, withoutOrigins);
    const existing = this.nodeIds.get(key);
    if (existing !== undefined) {
      const origin = this.nodes[existing]!.origin;
      for (const predicate of node.origin.predicates) {
        if (!origin.predicates.includes(predicate)) origin.predicates.push(predicate);
      }
      return existing;
    }
    const id = this.nodes.length;
    this.nodes.push(node);
    this.nodeIds.set(key, id);
    return id;
  }

  private isLiteralLabel(id: NodeId, literal: string): boolean {
    const node = this.nodes[id]!;
    return node.kind === 'setLabel' && node.key === LITERAL_LABEL && node.value === literal;
  }

  private origin(scope: Scope, text: string, span: Span | undefined): Origin {
    const origin: Origin = { text, image: scope.image, predicates: [...scope.predicates] };
    if (span) origin.span = span;
    return origin;
  }

  // ---- arguments and diagnostics ----

  /** The string arguments of a builtin or operator marker (`skip` leading ones: the operator id). */
  private stringArgs(literal: IRLiteral, count: number, skip = 0): (string | undefined)[] {
    const args = literal.args.slice(skip);
    if (args.length !== count) {
      this.error(`internal error: \`${literalText(literal)}\` should have ${count} argument(s)`, literal.span);
      return new Array<undefined>(count).fill(undefined);
    }
    return args.map((arg) => {
      if (arg.kind === 'const') return arg.value;
      this.error(`internal error: \`${termText(arg)}\` in \`${literalText(literal)}\` is not a ground string`, literal.span);
      return undefined;
    });
  }

  /** The entrypoint/cmd argument: a list of strings, or a string `s` meaning `[s]`. */
  private listArg(begin: IRLiteral): string[] | undefined {
    if (begin.args.length !== 2) {
      this.error(`internal error: \`${literalText(begin)}\` should have 1 argument(s)`, begin.span);
      return undefined;
    }
    const arg = begin.args[1]!;
    if (arg.kind === 'const') return [arg.value];
    if (arg.kind === 'list' && arg.items.every((item) => item.kind === 'const')) {
      return arg.items.map((item) => (item as { value: string }).value);
    }
    this.error(`internal error: \`${termText(arg)}\` in \`${literalText(begin)}\` is not ground`, begin.span);
    return undefined;
  }

  private errorNoImage(text: string, span: Span | undefined): Current {
    return this.error(`\`${text}\` comes before any image: start with \`from(...)\` or an image predicate`, span, undefined);
  }

  private error(message: string, span: Span | undefined, current?: Current): Current {
    const key = `${message}@${span ? `${span.start}-${span.end}` : ''}`;
    if (!this.diagnosticKeys.has(key)) {
      this.diagnosticKeys.add(key);
      const diagnostic: Diagnostic = { severity: 'error', message };
      if (span) diagnostic.span = span;
      this.diagnostics.push(diagnostic);
    }
    return current;
  }
}

/**
 * A body's siblings with each begin marker paired with the first end marker of the same operator
 * and id after it, in one pass (operator chains make thousands of markers).
 */
function sequenceOf(nodes: readonly ProofNode[]): Sequence {
  const ends = new Int32Array(nodes.length).fill(-1);
  const waiting = new Map<string, number[]>();
  nodes.forEach((node, i) => {
    if (node.via.kind !== 'marker') return;
    const marker = parseOperatorMarker(node.literal.predicate);
    if (marker === undefined) return;
    const key = `${marker.op} ${JSON.stringify(node.literal.args[0] ?? null)}`;
    const begins = waiting.get(key);
    if (marker.edge === 'begin') {
      if (begins) begins.push(i);
      else waiting.set(key, [i]);
    } else if (begins) {
      for (const begin of begins) ends[begin] = i;
      waiting.delete(key);
    }
  });
  return { nodes, ends, from: 0, to: nodes.length };
}

/** For a `::copy` operand: a fresh image, but the cache control and origin context carry on. */
function independentScope(scope: Scope): Scope {
  return { ...scope, cwd: '', env: [], merge: undefined };
}

/** A mount replaces an outer one at the same place (the same agent, for SSH). */
function withMount(mounts: readonly RunMount[], mount: RunMount): RunMount[] {
  return [...mounts.filter((m) => mountPlace(m) !== mountPlace(mount)), mount];
}

function validMountId(id: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id);
}

function withEnv(env: [string, string][], key: string, value: string): [string, string][] {
  return [...env.filter(([k]) => k !== key), [key, value]];
}

function copyEnv(env: [string, string][]): [string, string][] {
  return env.map(([k, v]) => [k, v]);
}

function withPredicate(predicates: string[], predicate: string): string[] {
  if (!isUserPredicate(predicate) || predicates.includes(predicate)) return predicates;
  return [...predicates, predicate];
}

function outputArg(term: IRLiteral['args'][number]): string | string[] {
  if (term.kind === 'const') return term.value;
  if (term.kind === 'list') return term.items.map((item) => (item.kind === 'const' ? item.value : termText(item)));
  return termText(term);
}

function withoutOrigins(key: string, value: unknown): unknown {
  return key === 'origin' ? undefined : value;
}
