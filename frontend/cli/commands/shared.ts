/**
 * What the commands that read a Modusfile have in common: where the file is, reading it as bytes,
 * writing diagnostics to stderr, and the options `-f`, `--cost`, `--budget`, `--build-arg`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic, SourceFile } from '../../../grammar/source';
import { renderDiagnostics } from '../../diagnostics/render';
import { DEFAULT_MAX_FILE_SIZE } from '../../pipeline';
import { budgetFrom, COST_FUNCTIONS, costFunctionNamed } from '../../solver/options';
import type { CostFunction } from '../../solver/proof';
import { UsageError, type OptionSpec } from '../args';
import type { CliIO } from '../io';

/** `-f/--file` as docker spells it; `--modusfile` is the older name. */
export const MODUSFILE_OPTION: OptionSpec = {
  name: 'file',
  alias: 'f',
  longAliases: ['modusfile'],
  value: true,
  valueName: 'FILE',
  description: 'the Modusfile (default: CONTEXT/Modusfile)',
};

export { COST_FUNCTIONS };

/** The Modusfile's path as the user will see it in diagnostics: `-f FILE` as given, else CONTEXT/Modusfile. */
export function modusfilePath(fileOption: string | undefined, context: string): string {
  return fileOption ?? path.join(context, 'Modusfile');
}

export type ReadResult = { bytes: Uint8Array } | { error: string };

const SIZE_VARIABLE = 'MODUS_MAX_FILE_SIZE';

/**
 * Reads a file as bytes (relative paths from the command's working directory), at most the size
 * limit: a device or a growing file (`-f /dev/zero`) ends with an error instead of filling memory.
 */
export function readModusfile(file: string, io: CliIO): ReadResult {
  const limit = maxFileSize(io.env);
  if ('error' in limit) return limit;
  try {
    const bytes = readAtMost(path.resolve(io.cwd, file), limit.bytes + 1);
    if (bytes.length > limit.bytes) {
      return { error: `larger than ${limit.bytes} bytes (the limit; set ${SIZE_VARIABLE} to raise it)` };
    }
    return { bytes };
  } catch (err) {
    return { error: readErrorReason(err) };
  }
}

function maxFileSize(env: CliIO['env']): { bytes: number } | { error: string } {
  const value = env[SIZE_VARIABLE];
  if (value === undefined || value === '') return { bytes: DEFAULT_MAX_FILE_SIZE };
  if (!/^[1-9][0-9]*$/.test(value) || !Number.isSafeInteger(Number(value))) {
    return { error: `${SIZE_VARIABLE} must be a positive whole number of bytes, not \`${value}\`` };
  }
  return { bytes: Number(value) };
}

function readAtMost(file: string, limit: number): Uint8Array {
  const fd = fs.openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    while (total < limit) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, limit - total));
      const read = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(read === chunk.length ? chunk : chunk.subarray(0, read));
      total += read;
    }
    return Buffer.concat(chunks, total);
  } finally {
    fs.closeSync(fd);
  }
}

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'file name too long',
};

function readErrorReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code && READ_ERRORS[code]) return READ_ERRORS[code];
  return err instanceof Error ? err.message : String(err);
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
function useColor(io: CliIO): boolean {
  return io.isTTY && !io.env.NO_COLOR;
}

/** Writes diagnostics to stderr (nothing when the list is empty). */
export function reportDiagnostics(io: CliIO, diagnostics: readonly Diagnostic[], file: SourceFile | undefined): void {
  if (diagnostics.length === 0) return;
  io.stderr(`${renderDiagnostics(diagnostics, file, { color: useColor(io) })}\n`);
}

export function parseCost(value: string | undefined): CostFunction {
  if (value === undefined) return 'layers';
  const cost = costFunctionNamed(value);
  if (!cost) throw new UsageError(`--cost must be one of ${COST_FUNCTIONS.join(', ')}, not \`${value}\``);
  return cost;
}

export function parseBudget(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const budget = budgetFrom(value);
  if (budget === undefined) throw new UsageError(`--budget must be a positive whole number, not \`${value}\``);
  return budget;
}

/** `--build-arg K=V` values as a record (a later value of the same key wins, as in docker). */
export function parseBuildArgs(values: readonly string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq <= 0) throw new UsageError(`--build-arg needs KEY=VALUE, not \`${value}\``);
    args[value.slice(0, eq)] = value.slice(eq + 1);
  }
  return args;
}
