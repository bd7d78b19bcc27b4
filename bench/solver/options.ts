/** What both solver benchmarks (run.ts, whole.ts) read from their command line and write to disk. */
import * as fs from 'fs';
import * as path from 'path';
import type { BenchProgram } from './programs';

export interface BenchOptions {
  reps: number;
  only: string[] | undefined;
  dir: string;
}

/**
 * `--reps N`, `--only NAME,...` and `--dir DIR` into `options`; any other argument goes to `extra`
 * (with a reader of its value), which returns false for one it does not know.
 */
export function parseBenchArgs<T extends BenchOptions>(
  args: readonly string[],
  options: T,
  extra: (arg: string, value: () => string) => boolean = () => false,
): T {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = (): string => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--reps') options.reps = Number(value());
    else if (arg === '--only') options.only = value().split(',');
    else if (arg === '--dir') options.dir = path.resolve(value());
    else if (!extra(arg, value)) throw new Error(`unknown argument ${arg}`);
  }
  if (!Number.isInteger(options.reps) || options.reps < 1) throw new Error('--reps must be a positive integer');
  return options;
}

/** The program's Modusfile, goal and Prolog twin in `dir`, so either side can be rerun by hand. */
export function writeProgram(dir: string, program: BenchProgram): void {
  fs.writeFileSync(path.join(dir, `${program.name}.Modusfile`), program.modusfile);
  fs.writeFileSync(path.join(dir, `${program.name}.goal`), program.goal + '\n');
  fs.writeFileSync(path.join(dir, `${program.name}.pl`), program.prolog);
}
