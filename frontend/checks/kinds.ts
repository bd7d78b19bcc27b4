/**
 * Predicate kinds (Image / Layer / Logic). The kind of a predicate is keyed on its NAME, not its
 * arity (`foo` and `foo(X)` must agree, so a name means one kind of thing wherever it is read).
 * Builtins have fixed kinds, fact-only predicates are Logic, and rules get the kind of their
 * bodies, found by a fixpoint:
 *
 *  1. Plain passes: evaluate every rule with the kinds known so far until nothing new is learnt.
 *  2. When stuck, one presumptive pass: where a kind is expected (operator input, the other side
 *     of `;`, a unique completion of a conjunction) an unknown predicate is presumed to have it;
 *     a rule whose head is still unknown is tried with each kind for its head and keeps the only
 *     one that makes its body consistent (this types recursive rules such as
 *     `a(m) :- (m = "p", a("d"), run("x") ; m = "d", copy(".", "."), run("y"))`).
 *     Then back to 1.
 *  3. A final pass re-checks every rule and reports errors, warnings and (verbose) notes.
 *
 * Plain passes come first so that presumptions are only made about predicates whose kind cannot
 * be found directly; a wrong presumption then shows up as a precise "Expected kind" error.
 */
import { flattenChain } from '../../grammar/ast-walk';
import type { Clause, Expression, Literal, OperatorApplication } from '../../grammar/ast';
import { printLiteral } from '../../grammar/printer';
import type { Diagnostic, Label, Span } from '../../grammar/source';
import { ALL_KINDS, BUILTIN_KINDS, OPERATORS, acceptsArgumentCount, conjunctionKind, type Kind, type OperatorSignature } from '../language';
import { forEachNode, rulesOf } from './ast-util';

interface KindAnalysis {
  /** Kind per predicate name: builtins and every user predicate whose kind was determined. */
  kinds: Map<string, Kind>;
  diagnostics: Diagnostic[];
}

export interface KindOptions {
  /** Also emit a note per rule: "`p` is of kind `Image`" (what `modus check -v` prints). */
  verbose?: boolean;
}

/**
 * The kind of an expression (e.g. a goal) under known predicate kinds, without presuming
 * anything. Predicates absent from `kinds` count as Logic (undefined predicates are the
 * solver's business), unless they are listed in `undetermined`.
 */
export function kindOfExpression(
  expr: Expression,
  kinds: ReadonlyMap<string, Kind>,
  undetermined: ReadonlySet<string> = new Set(),
): Kind | undefined {
  const evaluator = new KindEvaluator(new Map(kinds), undetermined, false);
  const outcome = evaluator.evaluate(expr, undefined);
  return 'kind' in outcome ? outcome.kind : undefined;
}

export function analyseKinds(ast: { clauses: readonly Clause[] }, options: KindOptions = {}): KindAnalysis {
  const rules = rulesOf(ast.clauses);
  const ruleNames = new Set(rules.map((r) => r.head.name));
  const kinds = initialKinds(ast.clauses);
  const evaluator = new KindEvaluator(kinds, ruleNames, false);

  const users = rulesUsing(rules);
  let changed = true;
  while (changed) {
    changed = plainPass(evaluator, rules, users);
    if (!changed) changed = presumptivePass(evaluator, rules);
  }

  const diagnostics = [...finalPass(evaluator, ast.clauses, options), ...operatorArityDiagnostics(ast.clauses)];
  return { kinds: sortedByName(kinds), diagnostics };
}

function initialKinds(clauses: readonly Clause[]): Map<string, Kind> {
  const kinds = new Map<string, Kind>(BUILTIN_KINDS);
  for (const clause of clauses) {
    if (clause.body === undefined && !kinds.has(clause.head.name)) kinds.set(clause.head.name, 'Logic');
  }
  return kinds;
}

type Rule = Clause & { body: Expression };

/**
 * Evaluates rules with unknown heads against current knowledge until nothing new is learnt: a
 * worklist in file order where learning a head's kind re-queues the rules that use that name.
 * True when a kind was learnt.
 */
function plainPass(evaluator: KindEvaluator, rules: readonly Rule[], users: ReadonlyMap<string, number[]>): boolean {
  evaluator.presume = false;
  let changed = false;
  const queue = rules.map((_, i) => i);
  const queued = new Set(queue);
  for (let q = 0; q < queue.length; q++) {
    const index = queue[q]!;
    queued.delete(index);
    const rule = rules[index]!;
    if (evaluator.get(rule.head.name) !== undefined) continue;
    const outcome = evaluator.evaluate(rule.body, undefined);
    if (!('kind' in outcome) || evaluator.get(rule.head.name) !== undefined) continue;
    evaluator.set(rule.head.name, outcome.kind);
    changed = true;
    for (const user of users.get(rule.head.name) ?? []) {
      if (!queued.has(user) && evaluator.get(rules[user]!.head.name) === undefined) {
        queued.add(user);
        queue.push(user);
      }
    }
  }
  return changed;
}

/** For each predicate name, the indexes of the rules whose body mentions it. */
function rulesUsing(rules: readonly Rule[]): Map<string, number[]> {
  const users = new Map<string, number[]>();
  rules.forEach((rule, index) => {
    const names = new Set<string>();
    forEachNode(rule.body, (node) => {
      if (node.kind === 'literal') names.add(node.name);
    });
    for (const name of names) {
      const list = users.get(name);
      if (list) list.push(index);
      else users.set(name, [index]);
    }
  });
  return users;
}

/** One pass with presumptions allowed; true when anything new (learnt or presumed) was recorded. */
function presumptivePass(evaluator: KindEvaluator, rules: readonly Rule[]): boolean {
  evaluator.presume = true;
  const before = evaluator.size();
  for (const rule of rules) {
    const head = rule.head.name;
    const known = evaluator.get(head);
    const outcome = evaluator.evaluate(rule.body, known);
    if (known !== undefined) continue;
    if ('kind' in outcome) {
      if (evaluator.get(head) === undefined) evaluator.set(head, outcome.kind);
    } else if (outcome.failure.severity === 'warning') {
      tryEachHeadKind(evaluator, rule);
    }
  }
  evaluator.presume = false;
  return evaluator.size() > before;
}

/** Keeps the only head kind under which the body is consistent, if there is exactly one. */
function tryEachHeadKind(evaluator: KindEvaluator, rule: Rule): void {
  const consistent: Array<Map<string, Kind>> = [];
  for (const kind of ALL_KINDS) {
    const tentative = new Map<string, Kind>([[rule.head.name, kind]]);
    evaluator.tentative = tentative;
    const outcome = evaluator.evaluate(rule.body, kind);
    evaluator.tentative = undefined;
    if ('kind' in outcome) consistent.push(tentative);
  }
  if (consistent.length === 1) {
    for (const [name, kind] of consistent[0]!) evaluator.set(name, kind);
  }
}

interface RuleVerdict {
  rule: Rule;
  kind?: Kind;
  diagnostic?: Diagnostic;
}

function finalPass(evaluator: KindEvaluator, clauses: readonly Clause[], options: KindOptions): Diagnostic[] {
  evaluator.presume = true;
  const verdicts: RuleVerdict[] = rulesOf(clauses).map((rule) => judgeRule(evaluator, rule));
  const diagnostics: Diagnostic[] = [];
  for (const verdict of verdicts) {
    const { rule } = verdict;
    if (verdict.diagnostic) {
      diagnostics.push(verdict.diagnostic);
      continue;
    }
    const known = evaluator.get(rule.head.name);
    if (verdict.kind !== undefined && known !== undefined && verdict.kind !== known) {
      diagnostics.push(conflictingKind(rule, verdict.kind, known, clauses, verdicts, evaluator));
    } else if (options.verbose && verdict.kind !== undefined) {
      diagnostics.push({
        severity: 'note',
        message: `\`${rule.head.name}\` is of kind \`${verdict.kind}\``,
        span: rule.body.span,
        labels: [{ span: rule.body.span, message: `since this is found to be a \`${verdict.kind}\` expression` }],
      });
    }
  }
  return diagnostics;
}

function judgeRule(evaluator: KindEvaluator, rule: Rule): RuleVerdict {
  const known = evaluator.get(rule.head.name);
  const asserted = evaluator.evaluate(rule.body, known);
  if ('kind' in asserted) return { rule, kind: asserted.kind };
  if (known !== undefined) {
    const free = evaluator.evaluate(rule.body, undefined);
    if ('kind' in free && free.kind !== known) return { rule, kind: free.kind };
  }
  const failure = asserted.failure;
  return {
    rule,
    diagnostic: {
      ...failure,
      notes: [...(failure.notes ?? []), `Therefore, couldn't evaluate clause with head ${printLiteral(rule.head)}.`],
    },
  };
}

function conflictingKind(
  rule: Rule,
  found: Kind,
  known: Kind,
  clauses: readonly Clause[],
  verdicts: readonly RuleVerdict[],
  evaluator: KindEvaluator,
): Diagnostic {
  const labels: Label[] = [];
  const previous = previousEvidence(rule.head.name, known, clauses, verdicts, evaluator);
  if (previous) labels.push({ span: previous.span, message: previous.message });
  labels.push({ span: rule.body.span, message: `but this was found to be a ${found} kind` });
  return {
    severity: 'error',
    code: 'InconsistentKind',
    message: 'A rule with matching head predicate has a different kind.',
    span: rule.body.span,
    labels,
  };
}

/** Where the established kind of a predicate comes from: a fact, a rule of that kind, or a presumption. */
function previousEvidence(
  name: string,
  known: Kind,
  clauses: readonly Clause[],
  verdicts: readonly RuleVerdict[],
  evaluator: KindEvaluator,
): Label | undefined {
  const message = `previous kind was found to be ${known}`;
  for (const clause of clauses) {
    if (clause.head.name !== name) continue;
    if (clause.body === undefined && known === 'Logic') return { span: clause.span, message };
    const verdict = verdicts.find((v) => v.rule === clause);
    if (verdict?.kind === known) return { span: verdict.rule.body.span, message };
  }
  const presumedAt = evaluator.presumedAt.get(name);
  if (presumedAt) return { span: presumedAt, message: `kind ${known} was presumed from this use` };
  return undefined;
}

function sortedByName(kinds: Map<string, Kind>): Map<string, Kind> {
  return new Map([...kinds].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

// ---------------------------------------------------------------------------------------------
// Expression evaluation

/** A kind, or why none could be found (severity warning = "not determined yet", error = a fault). */
type Outcome = { kind: Kind } | { failure: Diagnostic };

class KindEvaluator {
  /** Overlay used while trying a head kind; writes go here when set. */
  tentative: Map<string, Kind> | undefined;
  /** Where each presumed kind was first presumed (for explanations). */
  readonly presumedAt = new Map<string, Span>();

  constructor(
    private readonly kinds: Map<string, Kind>,
    /** Predicates defined by rules: without a known kind they are "not determined yet". */
    private readonly ruleNames: ReadonlySet<string>,
    public presume: boolean,
  ) {}

  get(name: string): Kind | undefined {
    return this.tentative?.get(name) ?? this.kinds.get(name);
  }

  set(name: string, kind: Kind): void {
    (this.tentative ?? this.kinds).set(name, kind);
  }

  size(): number {
    return this.kinds.size;
  }

  evaluate(expr: Expression, expected: Kind | undefined): Outcome {
    switch (expr.kind) {
      case 'literal':
        return expr.negated ? this.fixed(expr, 'Logic', expected) : this.literal(expr, expected);
      case 'unify':
        return this.fixed(expr, 'Logic', expected);
      case 'group':
        return expr.negated ? this.fixed(expr, 'Logic', expected) : this.evaluate(expr.body, expected);
      case 'and':
        return this.conjunction(expr, expected);
      case 'or':
        return this.disjunction(expr, expected);
      case 'op':
        return this.operator(expr, expected);
    }
  }

  private fixed(expr: Expression, kind: Kind, expected: Kind | undefined): Outcome {
    return expected !== undefined && expected !== kind ? expectedKind(expr.span, expected, kind) : { kind };
  }

  private literal(lit: Literal, expected: Kind | undefined): Outcome {
    const known = this.get(lit.name);
    if (known !== undefined) return this.fixed(lit, known, expected);
    if (expected !== undefined && this.presume) {
      this.set(lit.name, expected);
      if (!this.tentative && !this.presumedAt.has(lit.name)) this.presumedAt.set(lit.name, lit.span);
      return { kind: expected };
    }
    if (this.ruleNames.has(lit.name)) {
      return {
        failure: { severity: 'warning', code: 'UndeterminedKind', message: `\`${lit.name}\` not determined yet.`, span: lit.span },
      };
    }
    return this.fixed(lit, 'Logic', expected);
  }

  /** Every part evaluated once, in order; the first error stops it and is returned instead. */
  private evaluateEach(parts: readonly Expression[], expected: Kind | undefined): Outcome[] | { failure: Diagnostic } {
    const outcomes: Outcome[] = [];
    for (const part of parts) {
      const outcome = this.evaluate(part, expected);
      if (isFault(outcome)) return outcome;
      outcomes.push(outcome);
    }
    return outcomes;
  }

  /**
   * A chain `c0, c1, ..., cn` (left-nested `and` nodes, flattened so long bodies cannot overflow
   * the stack). Each conjunct is evaluated once; the undetermined ones may take any kind. A
   * forward pass finds the reachable accumulated kinds, a backward pass those that lead to an
   * acceptable result; an undetermined conjunct that can take only one kind in every consistent
   * reading is re-evaluated expecting that kind (which presumes inside it).
   */
  private conjunction(expr: Expression, expected: Kind | undefined): Outcome {
    const parts = flattenChain(expr, 'and');
    const outcomes = this.evaluateEach(parts, undefined);
    if (!Array.isArray(outcomes)) return outcomes;
    const options = outcomes.map((o) => ('kind' in o ? [o.kind] : ALL_KINDS));
    const reach: Array<Set<Kind>> = [new Set(options[0])];
    for (let i = 1; i < parts.length; i++) {
      const next = new Set<Kind>();
      for (const acc of reach[i - 1]!) {
        for (const k of options[i]!) {
          const r = conjunctionKind(acc, k);
          if (r) next.add(r);
        }
      }
      if (next.size === 0) return conjunctionConflict(parts, outcomes, reach[i - 1]!, i);
      reach.push(next);
    }
    const last = parts.length - 1;
    const finals = [...reach[last]!].filter((k) => expected === undefined || k === expected);
    if (finals.length === 0) {
      return reach[last]!.size === 1 ? expectedKind(expr.span, expected!, [...reach[last]!][0]!) : firstFailure(outcomes);
    }
    const good: Array<Set<Kind>> = [];
    good[last] = new Set(finals);
    for (let i = last; i > 0; i--) {
      good[i - 1] = new Set(
        [...reach[i - 1]!].filter((acc) => options[i]!.some((k) => good[i]!.has(conjunctionKind(acc, k)!))),
      );
    }
    const chosen: Kind[] = [];
    let ambiguous: Outcome | undefined;
    for (let i = 0; i < parts.length; i++) {
      const outcome = outcomes[i]!;
      if ('kind' in outcome) {
        chosen.push(outcome.kind);
        continue;
      }
      const usable = options[i]!.filter((k) =>
        i === 0 ? good[0]!.has(k) : [...good[i - 1]!].some((acc) => good[i]!.has(conjunctionKind(acc, k)!)),
      );
      if (usable.length !== 1) {
        ambiguous ??= outcome;
        continue;
      }
      const again = this.evaluate(parts[i]!, usable[0]);
      if ('failure' in again) return again;
      chosen.push(usable[0]!);
    }
    if (ambiguous) return ambiguous;
    return { kind: chosen.reduce((acc, k) => conjunctionKind(acc, k)!) };
  }

  /**
   * A chain `d0; d1; ...; dn`: every disjunct has the expected kind, or the kind of the first
   * determined disjunct; undetermined disjuncts are re-evaluated expecting it.
   */
  private disjunction(expr: Expression, expected: Kind | undefined): Outcome {
    const parts = flattenChain(expr, 'or');
    const outcomes = this.evaluateEach(parts, expected);
    if (!Array.isArray(outcomes)) return outcomes;
    let kind = expected;
    for (let i = 0; i < parts.length; i++) {
      const outcome = outcomes[i]!;
      if (!('kind' in outcome)) continue;
      if (kind === undefined) kind = outcome.kind;
      else if (outcome.kind !== kind) return cannotCombine(parts.slice(0, i), parts[i]!, kind, outcome.kind);
    }
    if (kind === undefined) return firstFailure(outcomes);
    for (let i = 0; i < parts.length; i++) {
      if ('kind' in outcomes[i]!) continue;
      const again = this.evaluate(parts[i]!, kind);
      if ('failure' in again) return again;
    }
    return { kind };
  }

  /**
   * A chain `E::a::b::c` nests its operands (the last operator is outermost). It is walked with
   * loops, not recursion, so a chain of any length cannot overflow the stack: down the chain for
   * the kind each operand must have, then up from `E` applying each operator.
   */
  private operator(outer: OperatorApplication, expected: Kind | undefined): Outcome {
    const chain: { op: OperatorApplication; signature: OperatorSignature; expected: Kind | undefined }[] = [];
    let node: Expression = outer;
    let wanted = expected;
    while (node.kind === 'op') {
      const signature = OPERATORS.get(node.name);
      if (!signature) return unknownOperator(node);
      if (signature.output !== 'SameAsInput' && wanted !== undefined && wanted !== signature.output) {
        return expectedKind(node.span, wanted, signature.output);
      }
      chain.push({ op: node, signature, expected: wanted });
      wanted = signature.output !== 'SameAsInput' ? (signature.input as Kind) : wanted === 'Logic' ? undefined : wanted;
      node = node.operand;
    }
    let outcome = this.evaluate(node, wanted);
    for (let i = chain.length - 1; i >= 0 && !('failure' in outcome); i--) outcome = this.applyOperator(chain[i]!, outcome.kind);
    return outcome;
  }

  private applyOperator(level: { op: OperatorApplication; signature: OperatorSignature; expected: Kind | undefined }, operand: Kind): Outcome {
    const { op, signature, expected } = level;
    if (signature.output !== 'SameAsInput') return { kind: signature.output };
    if (operand === 'Logic') {
      return {
        failure: {
          severity: 'error',
          code: 'KindMismatch',
          message: 'Expected kind: Image or Layer',
          span: op.operand.span,
          labels: [{ span: op.operand.span, message: 'expression found to be Logic' }],
          notes: [`\`::${op.name}\` applies to an image or layer expression and keeps its kind.`],
        },
      };
    }
    return this.fixed(op, operand, expected);
  }
}

function isFault(outcome: Outcome): outcome is { failure: Diagnostic } {
  return 'failure' in outcome && outcome.failure.severity === 'error';
}

function expectedKind(span: Span, expected: Kind, found: Kind): Outcome {
  return {
    failure: {
      severity: 'error',
      code: 'KindMismatch',
      message: `Expected kind: ${expected}`,
      span,
      labels: [{ span, message: `expression found to be ${found}` }],
    },
  };
}

/** `left, right` (or `left; right`) where left is a prefix of a chain: their kinds don't combine. */
function cannotCombine(left: readonly Expression[], right: Expression, leftKind: Kind, rightKind: Kind): Outcome {
  const leftSpan = { start: left[0]!.span.start, end: left[left.length - 1]!.span.end };
  return {
    failure: {
      severity: 'error',
      code: 'KindConflict',
      message: "Couldn't determine kind of `Expression`.",
      span: { start: leftSpan.start, end: right.span.end },
      labels: [
        { span: leftSpan, message: `this is found to be a \`${leftKind}\` expression` },
        { span: right.span, message: `this is found to be a \`${rightKind}\` expression` },
      ],
    },
  };
}

/** No reading of the chain up to conjunct `i` is consistent. */
function conjunctionConflict(
  parts: readonly Expression[],
  outcomes: readonly Outcome[],
  before: ReadonlySet<Kind>,
  i: number,
): Outcome {
  const current = outcomes[i]!;
  if (before.size === 1 && 'kind' in current) {
    return cannotCombine(parts.slice(0, i), parts[i]!, [...before][0]!, current.kind);
  }
  return firstFailure(outcomes.slice(0, i + 1));
}

function firstFailure(outcomes: readonly Outcome[]): Outcome {
  return outcomes.find((o) => 'failure' in o) ?? outcomes[0]!;
}

function unknownOperator(op: OperatorApplication): Outcome {
  return {
    failure: {
      severity: 'error',
      code: 'UnknownOperator',
      message: `Unknown operator: ${op.name}`,
      span: op.nameSpan,
      notes: [`Known operators: ${[...OPERATORS.keys()].join(', ')}.`],
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Operator arity

/** One error per operator application with the wrong number of arguments (unknown ones skipped). */
function operatorArityDiagnostics(clauses: readonly Clause[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const clause of clauses) {
    if (!clause.body) continue;
    forEachNode(clause.body, (node) => {
      if (node.kind !== 'op') return;
      const diagnostic = arityDiagnostic(node);
      if (diagnostic) diagnostics.push(diagnostic);
    });
  }
  return diagnostics;
}

function arityDiagnostic(op: OperatorApplication): Diagnostic | undefined {
  const signature = OPERATORS.get(op.name);
  if (!signature || acceptsArgumentCount(signature, op.args.length)) return undefined;
  const most = signature.params.length;
  const least = most - (signature.optional ?? 0);
  const expected = least === most ? String(most) : least + 1 === most ? `${least} or ${most}` : `${least} to ${most}`;
  const given = `${op.args.length} ${op.args.length === 1 ? 'was' : 'were'} given`;
  const message =
    most === 0
      ? `Operator \`${op.name}\` takes no arguments, but ${given}.`
      : `Operator \`${op.name}\` expects ${expected} argument${most === 1 ? '' : 's'} ` +
        `(${signature.params.join(', ')}), but ${given}.`;
  const span = { start: op.nameSpan.start, end: op.span.end };
  return { severity: 'error', code: 'OperatorArity', message, span };
}
