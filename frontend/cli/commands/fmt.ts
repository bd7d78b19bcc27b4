/**
 * `modus fmt [-w | --check] [FILE...]`: the canonical layout of Modusfiles (grammar/format.ts).
 * Without a flag the result goes to stdout; `-w` rewrites the files that change; `--check` names
 * them and exits 1. A file that does not parse is reported and left alone (exit 1). `-` is
 * standard input (its result goes to stdout; it cannot be rewritten).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeSource, parseModusfile } from '../../../grammar/index';
import { formatModusfile } from '../../../grammar/format';
import type { Modusfile } from '../../../grammar/ast';
import { hasErrors, SourceFile } from '../../../grammar/source';
import { formatOptions, optionValue, parseArgs, UsageError, type OptionSpec } from '../args';
import type { CliIO, Command } from '../io';
import { displayName, readModusfile, reportDiagnostics, STDIN, STDIN_FILENAME_OPTION } from './shared';

const OPTIONS: readonly OptionSpec[] = [
  { name: 'write', alias: 'w', description: 'rewrite each file that is not in the canonical layout' },
  { name: 'check', description: 'print the files that are not in the canonical layout; exit 1 when there is one' },
  STDIN_FILENAME_OPTION,
];

const USAGE = `Usage: modus fmt [-w | --check] [FILE... | -]

Prints each Modusfile (default ./Modusfile; \`-\` is standard input) in the canonical layout: a
clause on one line when it fits in 80 columns, else one body item per line indented by two
spaces; spacing around \`,\` \`;\` \`::\` \`:-\`; every comment kept in place; \`!!x\` written \`x\`
and \`__\` written \`_\`, which the language reads alike. The meaning never changes. Exit 0, or
1 when a file cannot be read or parsed (or, with --check, is not in the canonical layout).

Options:
${formatOptions(OPTIONS)}`;

type Outcome = { formatted: string; original: string } | { failed: true };

function formatFile(file: string, name: string, io: CliIO): Outcome {
  const read = readModusfile(file, io, true);
  if ('error' in read) {
    io.stderr(`modus fmt: cannot read ${name}: ${read.error}\n`);
    return { failed: true };
  }
  const decoded = decodeSource(read.bytes, name);
  if (!decoded.file) {
    reportDiagnostics(io, decoded.diagnostics, undefined);
    return { failed: true };
  }
  const parsed = parseModusfile(decoded.file);
  if (hasErrors(parsed.diagnostics)) {
    reportDiagnostics(io, parsed.diagnostics, decoded.file);
    return { failed: true };
  }
  const formatted = formatModusfile(decoded.file, parsed.ast);
  if (meaning(parseModusfile(new SourceFile(name, formatted)).ast) !== meaning(parsed.ast)) {
    io.stderr(`modus fmt: internal error: the new layout of ${name} would not parse to the same clauses and comments; left alone\n`);
    return { failed: true };
  }
  return { formatted, original: decoded.file.text };
}

/** The clauses without positions and the comments' texts: what a layout must keep. */
function meaning(ast: Modusfile): string {
  const clauses = JSON.stringify(ast.clauses, (key, value: unknown) => (key === 'span' || key === 'nameSpan' ? undefined : value));
  return `${clauses}\n${ast.comments.map((c) => c.text.trimEnd()).join('\n')}`;
}

async function runFmt(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, OPTIONS);
  const write = args.flags.has('write');
  const check = args.flags.has('check');
  if (write && check) throw new UsageError('give -w or --check, not both');
  const files = args.positionals.length > 0 ? args.positionals : ['Modusfile'];
  if (write && files.includes(STDIN)) throw new UsageError('-w cannot rewrite standard input (`-`)');
  if (files.filter((f) => f === STDIN).length > 1) throw new UsageError('standard input (`-`) can be read once');
  let status = 0;
  for (const file of files) {
    const name = displayName(file, optionValue(args, 'stdin-filename'));
    const outcome = formatFile(file, name, io);
    if ('failed' in outcome) {
      status = 1;
      continue;
    }
    const changed = outcome.formatted !== outcome.original;
    if (check) {
      if (changed) {
        io.stderr(`${name}: not in the canonical layout${file === STDIN ? '' : ` (modus fmt -w ${name} rewrites it)`}\n`);
        status = 1;
      }
    } else if (write) {
      if (changed) fs.writeFileSync(path.resolve(io.cwd, file), outcome.formatted);
    } else {
      io.stdout(outcome.formatted);
    }
  }
  return status;
}

export const fmtCommand: Command = {
  name: 'fmt',
  summary: 'print Modusfiles in the canonical layout (-w rewrites them, --check tests them)',
  usage: USAGE,
  run: runFmt,
};
