/**
 * `modus check [-f FILE] [-v] [CONTEXT]`: parse and statically check a Modusfile. Diagnostics go
 * to stderr; a clean file with warnings ends with `FILE: no errors, N warnings`. Exit 1 on any
 * error, else 0; without -v, a clean file without warnings prints nothing.
 */
import { decodeSource, parseModusfile } from '../../../grammar/index';
import { hasErrors, type Diagnostic, type SourceFile } from '../../../grammar/source';
import { analyseProgram } from '../../checks';
import { formatOptions, optionValue, parseArgs, UsageError, type OptionSpec } from '../args';
import type { CliIO, Command } from '../io';
import { MODUSFILE_OPTION, modusfilePath, readModusfile, reportDiagnostics } from './shared';

const OPTIONS: readonly OptionSpec[] = [
  MODUSFILE_OPTION,
  { name: 'verbose', alias: 'v', description: 'also print the kind found for each predicate' },
];

const USAGE = `Usage: modus check [-f FILE] [-v] [CONTEXT]

Parses the Modusfile (default CONTEXT/Modusfile, CONTEXT defaults to .) and runs the static
checks: kinds, terms, negation, stratification. Exit 0 when there is no error, 1 otherwise.

Options:
${formatOptions(OPTIONS)}`;

/** Parse errors stop before the checks: a clause that did not parse would only add false alarms. */
function checkSource(bytes: Uint8Array, name: string, verbose: boolean): { diagnostics: Diagnostic[]; file?: SourceFile; warnings?: number } {
  const decoded = decodeSource(bytes, name);
  if (!decoded.file) return { diagnostics: decoded.diagnostics };
  const parsed = parseModusfile(decoded.file);
  if (hasErrors(parsed.diagnostics)) return { diagnostics: parsed.diagnostics, file: decoded.file };
  const analysis = analyseProgram(parsed.ast, { verbose });
  const warnings = parsed.diagnostics.filter((d) => d.severity === 'warning').length + analysis.warningCount;
  return { diagnostics: [...parsed.diagnostics, ...analysis.diagnostics], file: decoded.file, warnings };
}

async function runCheck(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, OPTIONS);
  if (args.positionals.length > 1) throw new UsageError(`expected at most one CONTEXT, got ${args.positionals.length} arguments`);
  const name = modusfilePath(optionValue(args, 'modusfile'), args.positionals[0] ?? '.');
  const read = readModusfile(name, io);
  if ('error' in read) {
    io.stderr(`modus check: cannot read ${name}: ${read.error}\n`);
    return 1;
  }
  const { diagnostics, file, warnings = 0 } = checkSource(read.bytes, name, args.flags.has('verbose'));
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
