/**
 * The named rules of the static checks (lint rules): every finding of `modus check`, of
 * `docker buildx build --check` and of a build's warnings carries one of these names, and each
 * has a section in docs/lint.md. `# check=skip=RULE,…` at the top of a Modusfile silences rules,
 * as in Dockerfiles.
 */
import type { Diagnostic, Span } from '../../grammar/source';

interface LintRule {
  name: string;
  /** One sentence: what the rule finds. */
  description: string;
  /**
   * Whether `check=skip=` may silence it: warnings, and calls that can only fail. The other
   * errors describe programs the later stages cannot translate.
   */
  skippable: boolean;
}

export const LINT_RULES: readonly LintRule[] = [
  { name: 'SingletonVariable', description: 'A named variable occurs only once in its clause.', skippable: true },
  { name: 'UnknownPredicate', description: 'A body calls a predicate that no clause defines and no builtin provides.', skippable: true },
  { name: 'WrongArity', description: 'A predicate or builtin is called with a number of arguments it is not defined with.', skippable: true },
  { name: 'UndeterminedKind', description: 'The kind (image, layer, logic) of a predicate cannot be determined.', skippable: true },
  { name: 'KindMismatch', description: 'An expression has a different kind than its place requires.', skippable: false },
  { name: 'KindConflict', description: 'The parts of a conjunction or disjunction have kinds that do not combine.', skippable: false },
  { name: 'InconsistentKind', description: 'Clauses of one predicate have different kinds.', skippable: false },
  { name: 'UnknownOperator', description: 'An operator `::name` that Modus does not have.', skippable: false },
  { name: 'OperatorArity', description: 'An operator is given the wrong number of arguments.', skippable: false },
  { name: 'TermPlacement', description: 'A format string in a clause head, or a list where lists are not allowed.', skippable: false },
  { name: 'NegatedNonLogical', description: 'A negated image or layer predicate.', skippable: false },
  { name: 'NotStratifiable', description: 'A recursion through negation.', skippable: false },
];

const BY_NAME = new Map(LINT_RULES.map((r) => [r.name.toLowerCase(), r]));

export function lintRule(name: string): LintRule | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** Where a rule is documented: its anchor in docs/lint.md. */
export function lintRuleUrl(name: string): string {
  return `docs/lint.md#${name.toLowerCase()}`;
}

/** What `# check=` asks for: rules to skip (or all), and whether warnings fail the build. */
export interface CheckDirective {
  skip: ReadonlySet<string> | 'all';
  error: boolean;
}

const DEFAULT_CHECK: CheckDirective = { skip: new Set(), error: false };

/** A comment as the parser keeps it: the text after `#` and where it is. */
interface CommentText {
  text: string;
  span: Span;
}

/**
 * The `# check=skip=A,B;error=true` directive among the comments before the first clause, as
 * in Dockerfiles. An unknown rule or key is an error positioned at the directive.
 */
export function readCheckDirective(comments: readonly CommentText[], firstClauseStart: number): { directive: CheckDirective; diagnostics: Diagnostic[] } {
  const comment = comments.find((c) => c.span.start < firstClauseStart && /^\s*check\s*=/i.test(c.text));
  if (!comment) return { directive: DEFAULT_CHECK, diagnostics: [] };
  return parseCheckValue(comment.text.replace(/^\s*check\s*=/i, ''), comment.span);
}

/** The value of `check=` (also the build arg `MODUS_CHECK`): `skip=A,B` and `error=true|false`, `;`-separated. */
export function parseCheckValue(value: string, span?: Span): { directive: CheckDirective; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const fail = (message: string) => diagnostics.push({ severity: 'error', message, ...(span ? { span } : {}) });
  let skip: Set<string> | 'all' = new Set();
  let error = false;
  for (const part of value.split(';').map((p) => p.trim()).filter((p) => p !== '')) {
    const [key, setting = ''] = part.split('=', 2).map((s) => s.trim()) as [string, string?];
    if (key === 'skip') {
      const names = setting.split(',').map((n) => n.trim()).filter((n) => n !== '');
      if (names.some((n) => n.toLowerCase() === 'all')) skip = 'all';
      for (const name of names.filter((n) => n.toLowerCase() !== 'all')) {
        const rule = lintRule(name);
        if (!rule) fail(`unknown lint rule \`${name}\` in \`check=skip\`; the rules are ${LINT_RULES.map((r) => r.name).join(', ')}`);
        else if (!rule.skippable) fail(`lint rule \`${rule.name}\` finds errors the build cannot go past; it cannot be skipped`);
        else if (skip !== 'all') skip.add(rule.name);
      }
    } else if (key === 'error') {
      if (!/^(true|false)$/i.test(setting)) fail(`invalid \`check=error=${setting}\`: expected true or false`);
      error = setting.toLowerCase() === 'true';
    } else {
      fail(`unknown \`check=\` setting \`${key}\`: expected skip=RULE[,RULE] or error=true|false`);
    }
  }
  return { directive: { skip, error }, diagnostics };
}

/** The diagnostics the directive keeps (only skippable rules are ever dropped). */
export function applyCheckDirective(diagnostics: readonly Diagnostic[], directive: CheckDirective): Diagnostic[] {
  const skipped = (d: Diagnostic) => d.code !== undefined && lintRule(d.code)?.skippable === true && (directive.skip === 'all' || directive.skip.has(d.code));
  const kept = diagnostics.filter((d) => !skipped(d));
  return directive.error ? kept.map((d) => (d.severity === 'warning' && d.code ? { ...d, severity: 'error' as const } : d)) : kept;
}
