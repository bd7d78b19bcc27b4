/**
 * Subrequests (`docker buildx build --call=targets|outline|check`, frontend option `requestid`):
 * answered from the Modusfile without building anything; the answer is Returned as metadata.
 */
import type { Literal } from '../../grammar/ast';
import { decodeSource, parseGoal, parseModusfile } from '../../grammar/index';
import { hasErrors, SourceFile } from '../../grammar/source';
import { literalOccurrences } from '../checks/ast-util';
import { renderDiagnostics } from '../diagnostics/render';
import { FrontendError, UnsupportedSubrequestError, type ReturnResult } from '../gateway';
import { describeAnswer, lintAnswer, outlineAnswer, targetsAnswer, type ModusfileView } from '../subrequests/answers';
import { DESCRIBE, LINT, OUTLINE, TARGETS } from '../subrequests/types';
import type { BuildInput } from './build';

const ANSWERED = [OUTLINE, TARGETS, LINT, DESCRIBE];

/** The subrequest the client asked for, if any. */
export function requestedSubrequest(opts: ReadonlyMap<string, string>): string | undefined {
  const id = opts.get('requestid');
  return id === undefined || id === '' ? undefined : id;
}

export function answerSubrequest(request: string, input: BuildInput): ReturnResult {
  if (request === DESCRIBE) return { metadata: describeAnswer() };
  if (!ANSWERED.includes(request)) {
    const names = ANSWERED.map((n) => n.replace(/^frontend\./, '')).join(', ');
    // Current clients prefix the message with `unsupported request NAME: ` (from the typed detail).
    throw new UnsupportedSubrequestError(request, `the Modus frontend answers ${names} (--call=check is lint), not ${request}`);
  }
  const view = modusfileView(input);
  if (request === LINT) return { metadata: lintAnswer(view) };
  if (view.syntaxErrors.length > 0) throw new FrontendError(renderDiagnostics(view.syntaxErrors, view.file));
  if (request === TARGETS) return { metadata: targetsAnswer(view) };
  return { metadata: outlineAnswer(view, goalLiterals(input.options.goal), input.options.buildArgs) };
}

function modusfileView(input: BuildInput): ModusfileView {
  const filename = input.options.filename;
  const decoded = decodeSource(input.bytes, filename);
  const file = decoded.file ?? new SourceFile(filename, '');
  const parsed = decoded.file ? parseModusfile(decoded.file) : { ast: { clauses: [], comments: [] }, diagnostics: decoded.diagnostics };
  return { filename, bytes: input.bytes, file, ast: parsed.ast, syntaxErrors: parsed.diagnostics.filter((d) => d.severity === 'error') };
}

/** The literals of the goal given as target; a goal that does not parse is an error naming it. */
function goalLiterals(goal: string | undefined): Literal[] | undefined {
  if (goal === undefined) return undefined;
  const file = new SourceFile('goal', goal);
  const parsed = parseGoal(file);
  if (!parsed.goal || hasErrors(parsed.diagnostics)) throw new FrontendError(`invalid target \`${goal}\`:\n${renderDiagnostics(parsed.diagnostics, file)}`);
  return literalOccurrences(parsed.goal).map((o) => o.literal);
}
