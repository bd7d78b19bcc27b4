/**
 * Command-line options on top of node's `util.parseArgs` (no dependency, nothing to load at
 * start-up): long options (`--name`, `--name=value`, `--name value`), short aliases (`-f FILE`,
 * `-fFILE`), other long spellings (`--modusfile` for `--file`), repeatable options, positionals,
 * `--` to end options. A command declares its options once, as a list of OptionSpec; the same
 * list makes its help text and its shell completion.
 */
import { parseArgs as parseNodeArgs } from 'node:util';
import { didYouMean } from '../diagnostics/suggest';

export interface OptionSpec {
  /** The long name: `--name`. Values are read back by this name (or any of `longAliases`). */
  name: string;
  /** One-letter short form: `-x`. */
  alias?: string;
  /** Other long names accepted for the same option (e.g. `modusfile` beside `file`). */
  longAliases?: readonly string[];
  /** Takes a value (`--cost layers`); otherwise a boolean flag. */
  value?: boolean;
  /** May be given several times; values are collected in order. */
  repeatable?: boolean;
  description: string;
  valueName?: string;
}

export interface ParsedArgs {
  /** Values by every long name of their option. */
  options: Map<string, string[]>;
  /** Flags given, by every long name of their option. */
  flags: Set<string>;
  positionals: string[];
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

function longNames(spec: OptionSpec): string[] {
  return [spec.name, ...(spec.longAliases ?? [])];
}

type NodeOptions = Record<string, { type: 'string' | 'boolean'; short?: string; multiple: true }>;

function nodeOptions(specs: readonly OptionSpec[]): NodeOptions {
  const options: NodeOptions = {};
  for (const spec of specs) {
    for (const name of longNames(spec)) options[name] = { type: spec.value ? 'string' : 'boolean', multiple: true };
    if (spec.alias) options[spec.name]!.short = spec.alias;
  }
  return options;
}

function unknownOption(rawName: string, specs: readonly OptionSpec[]): UsageError {
  const candidates = rawName.startsWith('--') ? specs.flatMap((s) => longNames(s).map((n) => `--${n}`)) : specs.flatMap((s) => (s.alias ? [`-${s.alias}`] : []));
  return new UsageError(`unknown option ${rawName}${didYouMean(rawName, candidates)}`);
}

export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArgs {
  const byName = new Map<string, OptionSpec>();
  for (const spec of specs) for (const name of longNames(spec)) byName.set(name, spec);
  const { tokens } = parseNodeArgs({ args: [...argv], options: nodeOptions(specs), strict: false, allowPositionals: true, tokens: true });
  const parsed: ParsedArgs = { options: new Map(), flags: new Set(), positionals: [] };
  for (const token of tokens) {
    if (token.kind === 'positional') parsed.positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const spec = byName.get(token.name);
    if (!spec) throw unknownOption(token.rawName, specs);
    if (!spec.value) {
      if (token.value !== undefined) throw new UsageError(`option --${spec.name} takes no value`);
      for (const name of longNames(spec)) parsed.flags.add(name);
      continue;
    }
    if (token.value === undefined) throw new UsageError(`option ${token.rawName} needs a value`);
    const values = parsed.options.get(spec.name) ?? [];
    if (values.length > 0 && !spec.repeatable) throw new UsageError(`option --${spec.name} given twice`);
    values.push(token.value);
    for (const name of longNames(spec)) parsed.options.set(name, values);
  }
  return parsed;
}

export function optionValue(args: ParsedArgs, name: string): string | undefined {
  return args.options.get(name)?.[0];
}

export function optionValues(args: ParsedArgs, name: string): string[] {
  return args.options.get(name) ?? [];
}

export function formatOptions(specs: readonly OptionSpec[]): string {
  const rows = specs.map((s) => {
    const names = [s.alias ? `-${s.alias}, ` : '    ', longNames(s).map((n) => `--${n}`).join(', '), s.value ? ` ${s.valueName ?? 'VALUE'}` : ''].join('');
    return [names, s.description] as const;
  });
  const width = Math.max(...rows.map(([n]) => n.length));
  return rows.map(([n, d]) => `  ${n.padEnd(width)}  ${d}`).join('\n');
}
