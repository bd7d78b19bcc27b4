/**
 * What the solver reports, as data: a code, the IR literals it is about and where they stand.
 * The engine records these while it searches; `toDiagnostic` turns one into a Diagnostic for the
 * renderer, showing its literals as the user wrote them (SourceText), so that no stage reads
 * literals back out of message text.
 */
import type { Diagnostic, Label, Span } from '../../grammar/source';
import type { IRLiteral, IRTerm } from '../language/ir';
import { isFormatChainStep, isInventedVariable, literalText, termText } from '../language';
import type { SourceText } from './source-text';

export type SolverDiagnostic =
  /** A negated literal has a proof (a warning: one reason there is no solution). */
  | { code: 'negation-proved'; literal: IRLiteral; span?: Span }
  | { code: 'builtin-failed'; literal: IRLiteral; span?: Span }
  | { code: 'no-rule'; literal: IRLiteral; span?: Span }
  | { code: 'image-unavailable'; image: string; span?: Span }
  | { code: 'not-stratified'; literal: IRLiteral; span?: Span }
  /** `suggestion`: a defined predicate (`name/arity`) whose name is close, or the same name with another arity. */
  | { code: 'unknown-predicate'; predicate: string; arity: number; suggestion?: string; span?: Span }
  /** No literal of a body can be selected: the instances waiting, in body order. */
  | { code: 'not-ground'; waiting: IRLiteral[] }
  /** A proof of a clause leaves its head with variables. */
  | { code: 'head-not-ground'; head: IRLiteral | undefined; span?: Span }
  | { code: 'budget-exceeded'; budget: number }
  /** The search filled most of Node's heap (`answers` tabled so far; the heap's limit in MB). */
  | { code: 'memory-exhausted'; answers: number; heapMegabytes: number }
  | { code: 'no-proof'; goal: IRLiteral[] };

type SolverCode = SolverDiagnostic['code'];

const WARNINGS: ReadonlySet<SolverCode> = new Set(['negation-proved', 'builtin-failed', 'no-rule', 'image-unavailable', 'no-proof']);

function isWarning(diagnostic: SolverDiagnostic): boolean {
  return WARNINGS.has(diagnostic.code);
}

/** Equal for diagnostics that say the same thing at the same place (a span by its offsets and file). */
export function diagnosticKey(diagnostic: SolverDiagnostic): string {
  return JSON.stringify(diagnostic, (key, value) => (key === 'span' && value ? [value.start, value.end, value.file?.name] : value));
}

/** The diagnostic as the renderer takes it, its literals shown through `text`. */
export function toDiagnostic(d: SolverDiagnostic, text: SourceText): Diagnostic {
  const severity = isWarning(d) ? 'warning' : 'error';
  const at = (diagnostic: Diagnostic, span: Span | undefined): Diagnostic => (span ? { ...diagnostic, span } : diagnostic);
  switch (d.code) {
    case 'negation-proved':
      return at({ severity, message: `a proof was found for ${text.literal(d.literal)}` }, d.span);
    case 'builtin-failed':
      return at({ severity, message: `builtin ${d.literal.predicate} failed to apply or unify: ${text.literal(d.literal)}` }, d.span);
    case 'no-rule':
      return at({ severity, message: `could not find a rule to resolve with literal ${text.literal(d.literal)}` }, d.span);
    case 'image-unavailable':
      return at({ severity, message: `image ${JSON.stringify(d.image)} is not available, so this proof is not used` }, d.span);
    case 'not-stratified':
      return at({ severity, message: `${text.literal(d.literal)} depends on itself through negation (the program is not stratified)` }, d.span);
    case 'unknown-predicate':
      return at(
        { severity, message: `unknown predicate \`${d.predicate}/${d.arity}\``, ...(d.suggestion ? { notes: [`did you mean \`${d.suggestion}\`?`] } : {}) },
        d.span,
      );
    case 'not-ground':
      return groundness(d.waiting);
    case 'head-not-ground':
      return at(
        {
          severity,
          message: 'insufficient groundness for 1 goal(s)',
          notes: [`a proof of a ${d.head ? literalText(d.head) : 'clause'} leaves its head not ground`],
        },
        d.span,
      );
    case 'budget-exceeded':
      return { severity, message: `resolution budget of ${d.budget} steps exceeded (raise it with --budget or the MODUS_BUDGET build arg)` };
    case 'memory-exhausted':
      return {
        severity,
        message: `the search ran out of memory: ${d.answers} answers tabled fill most of the ${d.heapMegabytes} MB heap (narrow the goal, or give Node more with NODE_OPTIONS=--max-old-space-size=MB)`,
      };
    case 'no-proof':
      return { severity, message: `no proof found for ${text.conjunction(d.goal)}` };
  }
}

function groundness(waiting: readonly IRLiteral[]): Diagnostic {
  const labels: Label[] = [];
  for (const literal of waiting) {
    if (literal.span) labels.push({ span: literal.span, message: waitingText(literal) });
  }
  const diagnostic: Diagnostic = {
    severity: 'error',
    message: `insufficient groundness for ${waiting.length} goal(s)`,
    notes: waiting.map((literal) => `waiting: ${sourceLikeText(literal)}`),
  };
  if (waiting.some(isFormatChainStep)) diagnostic.notes!.push('help: every variable of an f-string needs a value when the literal using it is reached');
  if (labels.length > 0) {
    diagnostic.span = labels[0]!.span;
    diagnostic.labels = labels;
  }
  return diagnostic;
}

/** Translation's temporaries (`$f1`: the text of an f-string built so far) are not the user's names. */
const isTemporary = (term: IRTerm) => term.kind === 'var' && isInventedVariable(term.name);

function waitingText(literal: IRLiteral): string {
  if (!isFormatChainStep(literal)) return `${sourceLikeText(literal)} cannot be selected`;
  const unbound = literal.args.slice(0, 2).flatMap((t) => (t.kind === 'var' && !isInventedVariable(t.name) && t.name !== '_' ? [t.name] : []));
  return unbound.length > 0 ? `\`${unbound.join('`, `')}\` has no value here` : 'a variable of this f-string has no value here';
}

/** The literal as the user wrote it, as far as one waiting instance allows: an f-string step as `f"…"`. */
function sourceLikeText(literal: IRLiteral): string {
  if (isFormatChainStep(literal)) {
    const parts = literal.args.slice(0, 2).map((t) => {
      if (t.kind === 'const') return t.value;
      if (t.kind === 'var' && !isTemporary(t)) return t.name === '_' ? '${…}' : `\${${t.name}}`;
      return '…';
    });
    return `f"${parts.join('')}…"`;
  }
  if (!literal.args.some(isTemporary)) return literalText(literal);
  const args = literal.args.map((t) => (isTemporary(t) ? 'f"…"' : termText(t)));
  return `${literal.positive ? '' : '!'}${literal.predicate}(${args.join(', ')})`;
}
