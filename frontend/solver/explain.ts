/**
 * What `modus proof` prints: the chosen proof as a Unicode tree, and two debugging views of the
 * search (`--explain` text and `--graph` DOT). The two search views come from a separate, plain
 * SLD search over the IR (whole-goal delayed selection, no tabling), traced and capped in size:
 * they show how resolution proceeds, not how the tabled engine computed the answers.
 *
 * All three read like the Modusfile (see SourceText): no f-string `string_concat` steps, operator
 * markers, negation helpers or invented variables.
 */
import type { IRLiteral, IRProgram } from '../language/ir';
import { isFormatChainStep, parseOperatorMarker } from '../language';
import type { ProofNode, Solution } from './proof';
import { fittingMode, lookupBuiltin, builtinNamed, type BuiltinValue } from './builtins';
import { groundnessSignatures, signatureKey } from './groundness';
import { SourceText } from './source-text';
import { applyLiteral, isGround, renameApart, unifyLiterals, type Substitution } from './unify';

// ---- proof tree -------------------------------------------------------------------------------

interface ProofTreeOptions {
  /**
   * The goal's IR alternatives (`translateGoal(...).goals`): the one a solution came from tells
   * which of the goal's own literals are f-string steps.
   */
  goals?: readonly (readonly IRLiteral[])[];
  /** Leave out the rule nodes below the goal literals (only builtins and operators remain). */
  compact?: boolean;
}

interface TreeItem {
  label: string;
  children: TreeItem[];
}

/**
 * The proof of one solution: goal literals at the top, rule heads and builtins below. `program`
 * (the clauses the proof's clause ids refer to) lets f-string steps be left out and negation
 * helpers be read back; without it the literals are shown as they are.
 */
export function renderProofTree(solution: Solution, program?: IRProgram, options: ProofTreeOptions = {}): string {
  return proofTreeRenderer(program, options)(solution);
}

/**
 * renderProofTree for many solutions of one program: what is read from the program (the
 * negation helpers) is read once, not once per solution.
 */
export function proofTreeRenderer(program?: IRProgram, options: ProofTreeOptions = {}): (solution: Solution) => string {
  const view = new ProofView(program, options.compact ?? false);
  return (solution) => {
    // A negation the goal itself states is shown (`!mode("x")`); below the goal they are checks.
    const top = shownNodes(solution.proof.children, goalOf(solution, options.goals), { negations: true });
    const lines: string[] = [];
    for (const item of view.items(top, (node) => view.topChildren(node))) drawTree(item, lines);
    return lines.join('\n');
  };
}

class ProofView {
  private readonly text: SourceText;

  constructor(
    private readonly program: IRProgram | undefined,
    private readonly compact: boolean,
  ) {
    this.text = new SourceText(program);
  }

  topChildren(node: ProofNode): ProofNode[] {
    const children = this.children(node);
    return this.compact ? children.flatMap((child) => this.withoutRules(child)) : children;
  }

  /** The children worth showing: f-string steps (known from the clause body) and negation checks left out. */
  children(node: ProofNode): ProofNode[] {
    if (node.via.kind !== 'clause') return [];
    const clause = this.program?.clauses[node.via.clauseId];
    const body = clause?.id === node.via.clauseId && clause.body.length === node.children.length ? clause.body : undefined;
    return shownNodes(node.children, body);
  }

  /** The leaves below a node, in order (a loop: proofs can be thousands of rules deep). */
  private withoutRules(node: ProofNode): ProofNode[] {
    const leaves: ProofNode[] = [];
    const pending = [node];
    while (pending.length > 0) {
      const next = pending.pop()!;
      if (next.via.kind !== 'clause') {
        leaves.push(next);
        continue;
      }
      const children = this.children(next);
      for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]!);
    }
    return leaves;
  }

  /**
   * Siblings as tree items: an operator becomes a "(" item holding its operand, then ") ::op(args)".
   * `childrenOf` gives the children of these siblings; deeper down, `children` does. Each level's
   * siblings are laid out by a loop over a work list, not by recursion.
   */
  items(nodes: readonly ProofNode[], childrenOf: (node: ProofNode) => ProofNode[]): TreeItem[] {
    const root: TreeItem[] = [];
    const pending: [readonly ProofNode[], TreeItem[], (node: ProofNode) => ProofNode[]][] = [[nodes, root, childrenOf]];
    const below = (node: ProofNode): ProofNode[] => this.children(node);
    while (pending.length > 0) {
      const [siblings, into, childrenOfSibling] = pending.pop()!;
      for (const [node, item] of this.siblingItems(siblings, into)) pending.push([childrenOfSibling(node), item.children, below]);
    }
    return root;
  }

  /** Lays out one list of siblings into `root`; returns the items still to be given children. */
  private siblingItems(nodes: readonly ProofNode[], root: TreeItem[]): [ProofNode, TreeItem][] {
    const unfilled: [ProofNode, TreeItem][] = [];
    const open: TreeItem[][] = [root];
    for (const node of nodes) {
      const top = open[open.length - 1]!;
      const marker = node.via.kind === 'marker' ? parseOperatorMarker(node.literal.predicate) : undefined;
      if (marker?.edge === 'begin') {
        const group: TreeItem = { label: '(', children: [] };
        top.push(group);
        open.push(group.children);
      } else if (marker?.edge === 'end') {
        if (open.length > 1) open.pop();
        const args = node.literal.args.slice(1).map((a) => this.text.term(a));
        open[open.length - 1]!.push({ label: `) ::${marker.op}${args.length > 0 ? `(${args.join(', ')})` : ''}`, children: [] });
      } else {
        const item: TreeItem = { label: this.text.literal(node.literal), children: [] };
        top.push(item);
        unfilled.push([node, item]);
      }
    }
    return unfilled;
  }
}

function shownNodes(nodes: readonly ProofNode[], body: readonly IRLiteral[] | undefined, show = { negations: false }): ProofNode[] {
  return nodes.filter((node, i) => (show.negations || node.via.kind !== 'negation') && !(body?.[i] && isFormatChainStep(body[i]!)));
}

/** The goal alternative a solution solves: the first whose literals unify with the solution's. */
function goalOf(solution: Solution, goals: ProofTreeOptions['goals']): readonly IRLiteral[] | undefined {
  const proved = solution.proof.children.map((node) => node.literal);
  return goals?.find((goal) => {
    if (goal.length !== proved.length) return false;
    let s: Substitution | undefined = new Map();
    for (let i = 0; i < goal.length && s; i++) {
      s = goal[i]!.positive === proved[i]!.positive ? unifyLiterals(goal[i]!, proved[i]!, s) : undefined;
    }
    return s !== undefined;
  });
}

function drawTree(top: TreeItem, lines: string[]): void {
  const pending: [TreeItem, string, string][] = [[top, '', '']];
  while (pending.length > 0) {
    const [item, prefix, childPrefix] = pending.pop()!;
    lines.push(prefix + item.label);
    for (let i = item.children.length - 1; i >= 0; i--) {
      const last = i === item.children.length - 1;
      pending.push([item.children[i]!, childPrefix + (last ? '└── ' : '├── '), childPrefix + (last ? '    ' : '│   ')]);
    }
  }
}

// ---- traced SLD search --------------------------------------------------------------------------

interface ExplainOptions {
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
  /** A step the source does not show: an f-string step or an operator marker. */
  hidden?: boolean;
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
    private readonly text: SourceText,
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
    const sub = new Tracer(this.program, this.text, this.maxNodes, this.maxDepth, Object.fromEntries(this.buildArgs));
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
      if (this.provable(selected, depth + 1)) return fail(node, `a proof was found for ${this.text.literal({ ...selected, positive: true })}`);
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
        if (!unifier) continue;
        const hidden = isFormatChainStep(selected) || parseOperatorMarker(selected.predicate) !== undefined;
        node.steps.push({ kind: 'builtin', selected: instance, body: [], child: this.node(rest, unifier, depth + 1), hidden });
      }
      if (tuples.length === 0 && !this.hasClauses(selected)) return fail(node, `builtin ${selected.predicate} failed to apply or unify: ${this.text.literal(selected)}`);
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
      return fail(node, `could not find a rule to resolve with literal ${this.text.literal(selected)}`);
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
    const waiting = this.text.items(goal);
    return `insufficient groundness for ${waiting.length} goal(s): ${waiting.join(', ')}`;
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


function traceOf(program: IRProgram, text: SourceText, goal: IRLiteral[], options: ExplainOptions): Trace {
  const tracer = new Tracer(program, text, options.maxNodes ?? 500, options.maxDepth ?? 60, options.buildArgs ?? {});
  return tracer.trace(goal);
}

/** The `--explain` text: how the SLD search resolves the goal, branch by branch. */
export function explainSearch(program: IRProgram, goal: IRLiteral[], options: ExplainOptions = {}): string {
  const text = new SourceText(program);
  const trace = traceOf(program, text, goal, options);
  const lines = [`We require ${text.conjunction(goal)}`];
  explainNode(trace.root, 1, lines, text);
  if (trace.capped) lines.push(`(explanation capped at ${options.maxNodes ?? 500} search nodes / depth ${options.maxDepth ?? 60})`);
  return lines.join('\n');
}

function explainNode(node: TraceNode, level: number, lines: string[], text: SourceText): void {
  const pad = '  '.repeat(level);
  if (node.outcome !== undefined) {
    lines.push(pad + node.outcome);
    return;
  }
  for (const step of node.steps) {
    switch (step.kind) {
      case 'clause':
        lines.push(`${pad}${text.literal(step.selected)} requires:`);
        for (const item of text.items(step.body)) lines.push(`${pad}- ${item}`);
        break;
      case 'fact':
        lines.push(`${pad}${text.literal(step.selected)} is a fact.`);
        break;
      case 'negation':
        lines.push(`${pad}${text.literal({ ...step.selected, positive: true })} to have no proof`);
        break;
      case 'builtin':
        break; // successful builtin steps are not shown
    }
    explainNode(step.child, step.kind === 'builtin' ? level : level + 1, lines, text);
  }
}

/**
 * The `--graph` view: the SLD tree as a Graphviz digraph named SLD_Tree. Steps the source does
 * not show (f-string steps, operator markers) are passed through, so their nodes do not appear;
 * nodes are numbered in the order drawn.
 */
export function searchGraphDot(program: IRProgram, goal: IRLiteral[], options: ExplainOptions = {}): string {
  const text = new SourceText(program);
  const trace = traceOf(program, text, goal, options);
  const lines = ['digraph SLD_Tree {', '  node [shape=box];'];
  let drawn = 0;
  let fails = 0;
  const visit = (node: TraceNode): void => {
    const id = `n${drawn++}`;
    lines.push(`  ${id} [label=${dotString(node.goal.length > 0 ? text.conjunction(node.goal) : 'true')}];`);
    if (node.outcome !== undefined && node.failed) {
      const fail = `fail${fails++}`;
      lines.push(`  ${fail} [label="FAIL", color=red];`);
      lines.push(`  ${id} -> ${fail} [label=${dotString(node.outcome)}];`);
    }
    for (const step of node.steps) {
      const label =
        step.kind === 'negation'
          ? `Check ${text.literal(step.selected)}?`
          : step.kind === 'builtin'
            ? text.literal(step.selected)
            : text.literal(step.selected) + (step.body.length > 0 ? ' :- ' + text.conjunction(step.body) : '');
      lines.push(`  ${id} -> n${drawn} [label=${dotString(label)}];`); // the child is drawn next
      visit(passHidden(step.child));
    }
  };
  visit(passHidden(trace.root));
  if (trace.capped) lines.push(`  capped [label=${dotString(`capped at ${options.maxNodes ?? 500} nodes`)}, shape=note];`);
  lines.push('}');
  return lines.join('\n');
}

/** The first node from `node` on that is not just a hidden step to the next. */
function passHidden(node: TraceNode): TraceNode {
  let current = node;
  while (current.outcome === undefined && current.steps.length === 1 && current.steps[0]!.hidden) current = current.steps[0]!.child;
  return current;
}

function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
