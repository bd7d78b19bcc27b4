/**
 * A small, strict command-line parser: long options (`--name`, `--name=value`, `--name value`),
 * short aliases (`-f FILE`), repeatable options, positionals, `--` to end options.
 */

export interface OptionSpec {
  name: string;
  alias?: string;
  /** Takes a value (`--cost layers`); otherwise a boolean flag. */
  value?: boolean;
  /** May be given several times; values are collected in order. */
  repeatable?: boolean;
  description: string;
  valueName?: string;
}

export interface ParsedArgs {
  options: Map<string, string[]>;
  flags: Set<string>;
  positionals: string[];
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArgs {
  const byName = new Map<string, OptionSpec>();
  for (const spec of specs) {
    byName.set(`--${spec.name}`, spec);
    if (spec.alias) byName.set(`-${spec.alias}`, spec);
  }
  const parsed: ParsedArgs = { options: new Map(), flags: new Set(), positionals: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      parsed.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      parsed.positionals.push(arg);
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const key = eq >= 0 ? arg.slice(0, eq) : arg;
    const spec = byName.get(key);
    if (!spec) throw new UsageError(`unknown option ${key}`);
    if (!spec.value) {
      if (eq >= 0) throw new UsageError(`option --${spec.name} takes no value`);
      parsed.flags.add(spec.name);
      continue;
    }
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined) throw new UsageError(`option ${key} needs a value`);
      value = next;
      i++;
    }
    const values = parsed.options.get(spec.name) ?? [];
    if (values.length > 0 && !spec.repeatable) throw new UsageError(`option --${spec.name} given twice`);
    values.push(value);
    parsed.options.set(spec.name, values);
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
    const names = [s.alias ? `-${s.alias}, ` : '    ', `--${s.name}`, s.value ? ` ${s.valueName ?? 'VALUE'}` : ''].join('');
    return [names, s.description] as const;
  });
  const width = Math.max(...rows.map(([n]) => n.length));
  return rows.map(([n, d]) => `  ${n.padEnd(width)}  ${d}`).join('\n');
}
