/**
 * `modus check [-f FILE] [-v] [--json] [CONTEXT]`: parse and statically check a Modusfile.
 * Diagnostics go to stderr (with --json: as JSON on stdout); a clean file with warnings ends with
 * `FILE: no errors, N warnings`. Exit 1 on any error, else 0; without -v, a clean file without
 * warnings prints nothing.
 */
import { decodeSource, parseModusfile } from '../../../grammar/index';
import { hasErrors, type Diagnostic, type SourceFile } from '../../../grammar/source';
import { analyseProgram } from '../../checks';
import { formatOptions, optionValue, parseArgs, UsageError, type OptionSpec } from '../args';
import { diagnosticsJson, type FallbackCode } from '../../diagnostics/json';
import type { CliIO, Command } from '../io';
import { MODUSFILE_OPTION, modusfileOf } from '../goal-request';
import { displayName, readModusfile, reportDiagnostics, STDIN_FILENAME_OPTION } from './shared';

const OPTIONS: readonly OptionSpec[] = [
  MODUSFILE_OPTION,
  { name: 'verbose', alias: 'v', description: 'also print the kind found for each predicate' },
  { name: 'json', description: 'print {"diagnostics": [{file, line, column, endLine, endColumn, severity, code, message}]} on stdout instead' },
  STDIN_FILENAME_OPTION,
];

const USAGE = `Usage: modus check [-f FILE] [-v] [--json] [CONTEXT]

Parses the Modusfile (default CONTEXT/Modusfile, CONTEXT defaults to .; \`-f -\` reads standard
input) and runs the static checks: kinds, terms, negation, stratification. Exit 0 when there is
no error, 1 otherwise. With --json the same findings go to stdout as one JSON object (for editors
and CI).

Options:
${formatOptions(OPTIONS)}`;

interface CheckResult {
  diagnostics: Diagnostic[];
  /** The stage of each diagnostic, the code of those without a lint rule. */
  stages: FallbackCode[];
  file?: SourceFile;
  warnings?: number;
}

/** Parse errors stop before the checks: a clause that did not parse would only add false alarms. */
function checkSource(bytes: Uint8Array, name: string, verbose: boolean): CheckResult {
  const decoded = decodeSource(bytes, name);
  if (!decoded.file) return { diagnostics: decoded.diagnostics, stages: decoded.diagnostics.map(() => 'ReadError') };
  const parsed = parseModusfile(decoded.file);
  const syntax = parsed.diagnostics.map((): FallbackCode => 'SyntaxError');
  if (hasErrors(parsed.diagnostics)) return { diagnostics: parsed.diagnostics, stages: syntax, file: decoded.file };
  const analysis = analyseProgram(parsed.ast, { verbose });
  const warnings = parsed.diagnostics.filter((d) => d.severity === 'warning').length + analysis.warningCount;
  return {
    diagnostics: [...parsed.diagnostics, ...analysis.diagnostics],
    stages: [...syntax, ...analysis.diagnostics.map((): FallbackCode => 'StaticCheck')],
    file: decoded.file,
    warnings,
  };
}

function printJson(io: CliIO, result: CheckResult, name: string): void {
  const tagged = result.diagnostics.map((diagnostic, i) => ({ diagnostic, code: result.stages[i]! }));
  io.stdout(diagnosticsJson(tagged, result.file, name));
}

async function runCheck(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, OPTIONS);
  if (args.positionals.length > 1) throw new UsageError(`expected at most one CONTEXT, got ${args.positionals.length} arguments`);
  const modusfile = modusfileOf(args, args.positionals[0] ?? '.');
  const name = displayName(modusfile, optionValue(args, 'stdin-filename'));
  const json = args.flags.has('json');
  const read = readModusfile(modusfile, io, true);
  if ('error' in read) {
    const message = `cannot read ${name}: ${read.error}`;
    if (json) printJson(io, { diagnostics: [{ severity: 'error', message }], stages: ['ReadError'] }, name);
    else io.stderr(`modus check: ${message}\n`);
    return 1;
  }
  const result = checkSource(read.bytes, name, args.flags.has('verbose'));
  const { diagnostics, file, warnings = 0 } = result;
  if (json) {
    printJson(io, result, name);
    return hasErrors(diagnostics) ? 1 : 0;
  }
  reportDiagnostics(io, diagnostics, file);
  if (hasErrors(diagnostics)) return 1;
  if (warnings > 0) io.stderr(`${name}: no errors, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
  return 0;
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'parse and statically check a Modusfile',
  usage: USAGE,
  run: runCheck,
};
