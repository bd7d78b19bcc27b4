/**
 * What `modus proof` prints: the chosen proof as a Unicode tree, and two debugging views of the
 * search (`--explain` text and `--graph` DOT). The two search views come from a separate, plain
 * SLD search over the IR (whole-goal delayed selection, no tabling), traced and capped in size:
 * they show how resolution proceeds, not how the tabled engine computed the answers.
 */
import type { IRLiteral, IRProgram } from '../translate/ir';
import { parseOperatorMarker } from '../translate/ir';
import { literalText, termText, type ProofNode, type Solution } from './proof';
import { fittingMode, lookupBuiltin, builtinNamed, type BuiltinValue } from './builtins';
import { groundnessSignatures, signatureKey } from './groundness';
import { applyLiteral, isGround, renameApart, unifyLiterals, type Substitution } from './unify';

// ---- proof tree -------------------------------------------------------------------------------

interface TreeItem {
  label: string;
  children: TreeItem[];
}

/** The proof of one solution: goal literals at the top, rule heads and builtins below. */
export function renderProofTree(solution: Solution, _program?: IRProgram): string {
  const lines: string[] = [];
  for (const item of proofItems(solution.proof.children)) drawTree(item, lines);
  return lines.join('\n');
}

/** Siblings as tree items: an operator becomes a "(" item holding its operand, then ") ::op(args)". */
function proofItems(nodes: readonly ProofNode[]): TreeItem[] {
  const root: TreeItem[] = [];
  const open: { items: TreeItem[]; op: string }[] = [{ items: root, op: '' }];
  for (const node of nodes) {
    const top = open[open.length - 1]!;
    if (node.via.kind === 'negation') continue;
    const marker = node.via.kind === 'marker' ? parseOperatorMarker(node.literal.predicate) : undefined;
    if (marker?.edge === 'begin') {
      const group: TreeItem = { label: '(', children: [] };
      top.items.push(group);
      open.push({ items: group.children, op: marker.op });
    } else if (marker?.edge === 'end') {
      if (open.length > 1) open.pop();
      const args = node.literal.args.slice(1).map(termText);
      const parent = open[open.length - 1]!;
      parent.items.push({ label: `) ::${marker.op}${args.length > 0 ? `(${args.join(', ')})` : ''}`, children: [] });
    } else {
      top.items.push({ label: literalText(node.literal), children: proofItems(node.children) });
    }
  }
  return root;
}

function drawTree(item: TreeItem, lines: string[], prefix = '', childPrefix = ''): void {
  lines.push(prefix + item.label);
  item.children.forEach((child, i) => {
    const last = i === item.children.length - 1;
    drawTree(child, lines, childPrefix + (last ? '└── ' : '├── '), childPrefix + (last ? '    ' : '│   '));
  });
}

// ---- traced SLD search --------------------------------------------------------------------------

export interface ExplainOptions {
  buildArgs?: Record<string, string>;
  /** Most search nodes shown (default 500). */
  maxNodes?: number;
  /** Deepest resolution shown (default 60). */
  maxDepth?: number;
}

interface TraceNode {
  id: number;
  goal: IRLiteral[];
  steps: TraceStep[];
  /** For a leaf: "Success" or why this branch ends. */
  outcome?: string;
  failed?: boolean;
}

interface TraceStep {
  kind: 'clause' | 'fact' | 'builtin' | 'negation';
  selected: IRLiteral;
  body: IRLiteral[];
  child: TraceNode;
}

interface Trace {
  root: TraceNode;
  capped: boolean;
  nodes: number;
}

class Tracer {
  private nodes = 0;
  private renames = 0;
  capped = false;
  private readonly signatures;
  private readonly buildArgs: [string, string][];

  constructor(
    private readonly program: IRProgram,
    private readonly maxNodes: number,
    private readonly maxDepth: number,
    buildArgs: Record<string, string>,
  ) {
    this.signatures = groundnessSignatures(program);
    this.buildArgs = Object.entries(buildArgs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  trace(goal: IRLiteral[]): Trace {
    const root = this.node(goal, new Map(), 0);
    return { root, capped: this.capped, nodes: this.nodes };
  }

  /** Whether `literal` (ground) has a proof: a quiet sub-search, bounded like the main one. */
  private provable(literal: IRLiteral, depth: number): boolean {
    const sub = new Tracer(this.program, this.maxNodes, this.maxDepth, Object.fromEntries(this.buildArgs));
    sub.renames = this.renames + 1_000_000;
    const found = succeeded(sub.node([{ ...literal, positive: true }], new Map(), depth));
    if (sub.capped) this.capped = true;
    return found;
  }

  private node(goal: IRLiteral[], s: Substitution, depth: number): TraceNode {
    const current = goal.map((l) => applyLiteral(l, s));
    const node: TraceNode = { id: this.nodes++, goal: current, steps: [] };
    if (current.length === 0) {
      node.outcome = 'Success';
      return node;
    }
    if (this.nodes > this.maxNodes || depth > this.maxDepth) {
      this.capped = true;
      node.outcome = 'not explored (the explanation is capped)';
      node.failed = true;
      return node;
    }
    const chosen = this.select(current);
    if (typeof chosen === 'string') return fail(node, chosen);
    const selected = current[chosen]!;
    const rest = [...current.slice(0, chosen), ...current.slice(chosen + 1)];
    if (!selected.positive) {
      if (this.provable(selected, depth + 1)) return fail(node, `a proof was found for ${literalText({ ...selected, positive: true })}`);
      node.steps.push({ kind: 'negation', selected, body: [], child: this.node(rest, new Map(), depth + 1) });
      return node;
    }
    const builtin = lookupBuiltin(selected.predicate, selected.args.length);
    if (builtin && fittingMode(builtin, selected.args.map(isGround)) >= 0) {
      const values: BuiltinValue[] = selected.args.map((a) => (a.kind === 'const' ? a.value : undefined));
      const outcome = builtin.evaluate(values, { buildArgs: this.buildArgs });
      const tuples = outcome === true ? [values as string[]] : outcome === false ? [] : outcome;
      for (const tuple of tuples) {
        const instance: IRLiteral = { ...selected, args: tuple.map((value, i) => (value === undefined ? selected.args[i]! : { kind: 'const', value })) };
        const unifier = unifyLiterals(selected, instance);
        if (unifier) node.steps.push({ kind: 'builtin', selected: instance, body: [], child: this.node(rest, unifier, depth + 1) });
      }
      if (tuples.length === 0 && !this.hasClauses(selected)) return fail(node, `builtin ${selected.predicate} failed to apply or unify: ${literalText(selected)}`);
    }
    if (this.hasClauses(selected) && this.signatureHolds(selected)) {
      for (const clause of this.program.clauses) {
        if (clause.head.predicate !== selected.predicate || clause.head.args.length !== selected.args.length) continue;
        const renamed = renameApart(clause, ++this.renames);
        const unifier = unifyLiterals(selected, renamed.head);
        if (!unifier) continue;
        const body = renamed.body.map((l) => applyLiteral(l, unifier));
        node.steps.push({
          kind: body.length === 0 ? 'fact' : 'clause',
          selected: applyLiteral(selected, unifier),
          body,
          child: this.node([...renamed.body, ...rest], unifier, depth + 1),
        });
        if (this.nodes > this.maxNodes) break;
      }
    }
    if (node.steps.length === 0 && node.outcome === undefined) {
      return fail(node, `could not find a rule to resolve with literal ${literalText(selected)}`);
    }
    return node;
  }

  private hasClauses(literal: IRLiteral): boolean {
    return this.signatures.has(signatureKey(literal.predicate, literal.args.length));
  }

  private signatureHolds(literal: IRLiteral): boolean {
    const signature = this.signatures.get(signatureKey(literal.predicate, literal.args.length));
    return signature !== undefined && literal.args.every((a, i) => signature[i] || isGround(a));
  }

  /** The index of the leftmost selectable literal, or the error text when there is none. */
  private select(goal: IRLiteral[]): number | string {
    for (let i = 0; i < goal.length; i++) {
      const literal = goal[i]!;
      const builtin = lookupBuiltin(literal.predicate, literal.args.length);
      if (!builtin && !this.hasClauses(literal)) {
        if (builtinNamed(literal.predicate)) continue;
        return `unknown predicate \`${literal.predicate}/${literal.args.length}\``;
      }
      if (!literal.positive) {
        if (literal.args.every(isGround)) return i;
        continue;
      }
      if (builtin && fittingMode(builtin, literal.args.map(isGround)) >= 0) return i;
      if (this.signatureHolds(literal)) return i;
    }
    return `insufficient groundness for ${goal.length} goal(s): ${goal.map(shown).join(', ')}`;
  }
}

function fail(node: TraceNode, why: string): TraceNode {
  node.outcome = why;
  node.failed = true;
  return node;
}

function succeeded(node: TraceNode): boolean {
  if (node.outcome !== undefined) return !node.failed;
  return node.steps.some((step) => succeeded(step.child));
}

/** A literal as shown in explanations: renamed-apart variables get their written names back. */
function shown(literal: IRLiteral): string {
  return literalText(literal).replace(/#\d+/g, '');
}

function traceOf(program: IRProgram, goal: IRLiteral[], options: ExplainOptions): Trace {
  const tracer = new Tracer(program, options.maxNodes ?? 500, options.maxDepth ?? 60, options.buildArgs ?? {});
  return tracer.trace(goal);
}

/** The `--explain` text: how the SLD search resolves the goal, branch by branch. */
export function explainSearch(program: IRProgram, goal: IRLiteral[], options: ExplainOptions = {}): string {
  const trace = traceOf(program, goal, options);
  const lines = [`We require ${goal.map(shown).join(', ')}`];
  explainNode(trace.root, 1, lines);
  if (trace.capped) lines.push(`(explanation capped at ${options.maxNodes ?? 500} search nodes / depth ${options.maxDepth ?? 60})`);
  return lines.join('\n');
}

function explainNode(node: TraceNode, level: number, lines: string[]): void {
  const pad = '  '.repeat(level);
  if (node.outcome !== undefined) {
    lines.push(pad + node.outcome);
    return;
  }
  for (const step of node.steps) {
    switch (step.kind) {
      case 'clause':
        lines.push(`${pad}${shown(step.selected)} requires:`);
        for (const literal of step.body) lines.push(`${pad}- ${shown(literal)}`);
        break;
      case 'fact':
        lines.push(`${pad}${shown(step.selected)} is a fact.`);
        break;
      case 'negation':
        lines.push(`${pad}${shown({ ...step.selected, positive: true })} to have no proof`);
        break;
      case 'builtin':
        break; // successful builtin steps are not shown
    }
    explainNode(step.child, step.kind === 'builtin' ? level : level + 1, lines);
  }
}

/** The `--graph` view: the SLD tree as a Graphviz digraph named SLD_Tree. */
export function searchGraphDot(program: IRProgram, goal: IRLiteral[], options: ExplainOptions = {}): string {
  const trace = traceOf(program, goal, options);
  const lines = ['digraph SLD_Tree {', '  node [shape=box];'];
  let fails = 0;
  const visit = (node: TraceNode): void => {
    lines.push(`  n${node.id} [label=${dotString(node.goal.length > 0 ? node.goal.map(shown).join(', ') : 'true')}];`);
    if (node.outcome !== undefined && node.failed) {
      const id = `fail${fails++}`;
      lines.push(`  ${id} [label="FAIL", color=red];`);
      lines.push(`  n${node.id} -> ${id} [label=${dotString(node.outcome)}];`);
    }
    for (const step of node.steps) {
      const label =
        step.kind === 'negation'
          ? `Check ${shown(step.selected)}?`
          : step.kind === 'builtin'
            ? shown(step.selected)
            : shown(step.selected) + (step.body.length > 0 ? ' :- ' + step.body.map(shown).join(', ') : '');
      lines.push(`  n${node.id} -> n${step.child.id} [label=${dotString(label)}];`);
      visit(step.child);
    }
  };
  visit(trace.root);
  if (trace.capped) lines.push(`  capped [label=${dotString(`capped at ${options.maxNodes ?? 500} nodes`)}, shape=note];`);
  lines.push('}');
  return lines.join('\n');
}

function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
