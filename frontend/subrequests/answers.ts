/**
 * The answers to the subrequests, computed from the Modusfile alone (plain data in, the JSON
 * document and its text rendering out): describe, targets, outline and lint. The build flow
 * reads the request, calls one of these and Returns the metadata.
 */
import type { Clause, Comment, Literal, Modusfile } from '../../grammar/ast';
import { clauseDescription, printTerm } from '../../grammar/index';
import type { Diagnostic, SourceFile, Span } from '../../grammar/source';
import { analyseProgram, lintRule, lintRuleUrl } from '../checks';
import type { Kind } from '../language';
import { literalOccurrences } from '../checks/ast-util';
import { renderDiagnostic } from '../diagnostics/render';
import { tabulate } from './tabwriter';
import {
  DESCRIBE, LINT, OUTLINE, TARGETS,
  type LintResults, type LintWarning, type Location, type Outline, type OutlineArg, type RequestDefinition, type SubrequestMetadata, type TargetList,
} from './types';

/** The parsed Modusfile a subrequest reads (parse errors are kept for lint). */
export interface ModusfileView {
  filename: string;
  bytes: Uint8Array;
  file: SourceFile;
  ast: Modusfile;
  /** Syntax errors; the other answers need none. */
  syntaxErrors: Diagnostic[];
}

const VERSION = '1.0.0';
const RESULT_METADATA = [{ name: 'result.json', description: '' }, { name: 'result.txt', description: '' }];

const DEFINITIONS: readonly RequestDefinition[] = [
  definition(OUTLINE, 'List all parameters current build target supports', [{ name: 'target', description: 'Target build stage' }]),
  definition(TARGETS, 'List all targets current build supports', []),
  { ...definition(LINT, 'Lint a Modusfile', []), metadata: [...RESULT_METADATA, { name: 'result.statuscode', description: '' }] },
  definition(DESCRIBE, 'List available subrequest types', null),
];

function definition(name: string, description: string, opts: RequestDefinition['opts']): RequestDefinition {
  return { name, version: VERSION, type: 'rpc', description, opts, inputs: null, metadata: RESULT_METADATA, refs: null };
}

export function describeAnswer(): SubrequestMetadata {
  const rows = [['NAME', 'VERSION', 'DESCRIPTION'], ...DEFINITIONS.map((d) => [d.name.replace(/^frontend\./, ''), d.version, d.description])];
  return result(DEFINITIONS, tabulate(rows, 1));
}

/** One target per image predicate, named with the parameters of its first clause. */
export function targetsAnswer(view: ModusfileView): SubrequestMetadata {
  const kinds = analyseProgram(view.ast).kinds;
  const list: TargetList = {
    targets: firstClauses(view.ast, kinds).map((clause) => {
      const description = describeClause(view, clause);
      return { name: targetName(clause.head), ...(description ? { description } : {}), location: location(view.file, clause.head.span) };
    }),
    sources: [base64(view.bytes)],
  };
  const rows = [['TARGET', 'DESCRIPTION'], ...list.targets.map((t) => [t.name ?? '', t.description ?? ''])];
  return result(list, tabulate(rows, 1));
}

/**
 * The build args a goal may read: `build_arg("K", …)` with a constant K in any clause of a
 * predicate the goal's literals reach. Without a goal, those of every clause.
 */
export function outlineAnswer(view: ModusfileView, goal: readonly Literal[] | undefined, buildArgs: Readonly<Record<string, string>>): SubrequestMetadata {
  const clauses = goal ? reachableClauses(view.ast, goal) : view.ast.clauses;
  const args: OutlineArg[] = [];
  for (const literal of buildArgReads(clauses)) {
    const name = (literal.args[0] as { value: string }).value;
    if (args.some((a) => a.name === name)) continue;
    const description = commentAbove(view, literal.span);
    const value = buildArgs[name];
    args.push({ name, ...(description ? { description } : {}), ...(value !== undefined ? { value } : {}), location: location(view.file, literal.span) });
  }
  const image = goal?.map((l) => firstClauseOf(view.ast, l.name)).find((c) => c !== undefined);
  const description = image ? describeClause(view, image) : undefined;
  const outline: Outline = {
    ...(image ? { name: targetName(image.head) } : {}),
    ...(description ? { description } : {}),
    ...(args.length > 0 ? { args } : {}),
    sources: [base64(view.bytes)],
  };
  return result(outline, outlineText(outline));
}

/** Every finding of the checks as a lint warning; syntax errors as the build error. */
export function lintAnswer(view: ModusfileView): SubrequestMetadata {
  const sources = [{ filename: view.filename, data: base64(view.bytes), language: 'Modusfile' }];
  const firstSyntaxError = view.syntaxErrors[0];
  const findings = firstSyntaxError ? [] : analyseProgram(view.ast).diagnostics;
  const warnings: LintWarning[] = findings.map((d) => lintWarning(view.file, d));
  const results: LintResults = {
    warnings,
    sources,
    ...(firstSyntaxError ? { buildError: { message: firstSyntaxError.message, location: location(view.file, firstSyntaxError.span) } } : {}),
  };
  const text = firstSyntaxError ? renderDiagnostic(firstSyntaxError, view.file) : findings.map((d) => lintText(view.file, d)).join('');
  return { ...result(results, text), 'result.statuscode': warnings.length > 0 || firstSyntaxError ? '1' : '0' };
}

/** A finding as a lint warning: the rule, its description and page, the message, the range. */
function lintWarning(file: SourceFile, d: Diagnostic): LintWarning {
  const rule = d.code ? lintRule(d.code) : undefined;
  return {
    ruleName: rule?.name ?? 'ModusCheck',
    ...(rule ? { description: rule.description, url: lintRuleUrl(rule.name) } : {}),
    detail: d.message,
    location: location(file, d.span),
  };
}

function lintText(file: SourceFile, d: Diagnostic): string {
  const warning = lintWarning(file, d);
  return `\nWARNING: ${warning.ruleName}${warning.url ? ` - ${warning.url}` : ''}\n${renderDiagnostic(d, file)}\n`;
}

function result(document: unknown, text: string): SubrequestMetadata {
  return { 'result.json': JSON.stringify(document, null, 2), 'result.txt': text, version: VERSION };
}

function outlineText(outline: Outline): string {
  let text = '';
  if (outline.name || outline.description) {
    const rows = [['TARGET:', outline.name || '(default)'], ...(outline.description ? [['DESCRIPTION:', outline.description]] : [])];
    text += tabulate(rows, 1) + '\n';
  }
  if (outline.args?.length) {
    text += tabulate([['BUILD ARG', 'VALUE', 'DESCRIPTION'], ...outline.args.map((a) => [a.name, a.value ?? '', a.description ?? ''])], 3) + '\n';
  }
  return text;
}

/** `app(mode)`: the predicate with the parameters of its first clause as written. */
function targetName(head: Literal): string {
  return head.args.length === 0 ? head.name : `${head.name}(${head.args.map(printTerm).join(', ')})`;
}

/** The first clause of each image predicate, in file order. */
function firstClauses(ast: Modusfile, kinds: ReadonlyMap<string, Kind>): Clause[] {
  const seen = new Set<string>();
  return ast.clauses.filter((c) => kinds.get(c.head.name) === 'Image' && !seen.has(c.head.name) && seen.add(c.head.name));
}

function firstClauseOf(ast: Modusfile, name: string): Clause | undefined {
  return ast.clauses.find((c) => c.head.name === name);
}

/** A clause's comment block as one paragraph (buildx shows a description on one table row). */
function describeClause(view: ModusfileView, clause: Clause): string | undefined {
  return clauseDescription(view.ast, clause, view.file)?.split('\n').map((l) => l.trim()).filter((l) => l !== '').join(' ') || undefined;
}

/** The own-line comments on the lines directly above the line of `span` (inside a clause body). */
function commentAbove(view: ModusfileView, span: Span): string | undefined {
  const lineOf = (offset: number) => view.file.position(offset).line;
  const block: Comment[] = [];
  let line = lineOf(span.start);
  for (const comment of [...view.ast.comments].reverse()) {
    if (comment.span.end > span.start) continue;
    if (!comment.ownLine || lineOf(comment.span.start) !== line - 1) break;
    block.unshift(comment);
    line--;
  }
  const text = block.map((c) => c.text.trim()).filter((t) => t !== '' && !/^(syntax|check|escape)\s*=/i.test(t)).join(' ');
  return text || undefined;
}

/** The clauses of every predicate the literals call, directly or through other clauses. */
function reachableClauses(ast: Modusfile, goal: readonly Literal[]): Clause[] {
  const names = new Set<string>();
  const queue = goal.map((l) => l.name);
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (names.has(name)) continue;
    names.add(name);
    for (const clause of ast.clauses) if (clause.head.name === name && clause.body) for (const l of literalsOf(clause)) queue.push(l.name);
  }
  return ast.clauses.filter((c) => names.has(c.head.name));
}

function buildArgReads(clauses: readonly Clause[]): Literal[] {
  return clauses.flatMap(literalsOf).filter((l) => l.name === 'build_arg' && l.args.length === 2 && l.args[0]!.kind === 'string');
}

function literalsOf(clause: Clause): Literal[] {
  return clause.body ? literalOccurrences(clause.body).map((o) => o.literal) : [];
}

/** A range as BuildKit's Location: 1-based lines, 0-based characters. */
function location(file: SourceFile, span: Span | undefined): Location {
  if (!span) return { ranges: [] };
  const start = file.position(span.start);
  const end = file.position(span.end);
  return { ranges: [{ start: position(start), end: position(end) }] };
}

function position(p: { line: number; column: number }): { line?: number; character?: number } {
  return { line: p.line, ...(p.column > 1 ? { character: p.column - 1 } : {}) };
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}
