/**
 * What the commands that read a Modusfile have in common: reading it as bytes and writing
 * diagnostics to stderr. The options that name the file and the goal are read in ../goal-request.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic, SourceFile } from '../../../grammar/source';
import { renderDiagnostics } from '../../diagnostics/render';
import { DEFAULT_MAX_FILE_SIZE } from '../../pipeline';
import type { OptionSpec } from '../args';
import { readAtMost, type CliIO } from '../io';

type ReadResult = { bytes: Uint8Array } | { error: string };

/** The file name that means standard input, for the commands that read it (check, fmt). */
export const STDIN = '-';

/** `--stdin-filename NAME`: the name diagnostics give a Modusfile read from standard input. */
export const STDIN_FILENAME_OPTION: OptionSpec = {
  name: 'stdin-filename',
  value: true,
  valueName: 'NAME',
  description: 'the name of the Modusfile read from standard input (`-`), for diagnostics (default: <stdin>)',
};

/** The name a file is shown under: standard input gets its --stdin-filename, else `<stdin>`. */
export function displayName(file: string, stdinFilename: string | undefined): string {
  return file === STDIN ? (stdinFilename ?? '<stdin>') : file;
}

const SIZE_VARIABLE = 'MODUS_MAX_FILE_SIZE';

/**
 * Reads a file as bytes (relative paths from the command's working directory), at most the size
 * limit: a device or a growing file (`-f /dev/zero`) ends with an error instead of filling memory.
 * With `acceptStdin`, the file `-` is standard input.
 */
export function readModusfile(file: string, io: CliIO, acceptStdin = false): ReadResult {
  const limit = maxFileSize(io.env);
  if ('error' in limit) return limit;
  try {
    const bytes =
      acceptStdin && file === STDIN ? (io.readStdin?.(limit.bytes + 1) ?? new Uint8Array()) : readFileAtMost(path.resolve(io.cwd, file), limit.bytes + 1);
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

function readFileAtMost(file: string, limit: number): Uint8Array {
  const fd = fs.openSync(file, 'r');
  try {
    return readAtMost(fd, limit);
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
