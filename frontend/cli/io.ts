import * as fs from 'node:fs';
import { isatty } from 'node:tty';

/** What a command may touch: its arguments, output streams, environment and working directory. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** True when stderr is a terminal (colour, live progress). */
  isTTY: boolean;
  /** Standard input, at most `limit` bytes (`-` as a file name); absent: empty. */
  readStdin?: (limit: number) => Uint8Array;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: readonly string[], io: CliIO): Promise<number>;
}

/** Reads an open file to its end, but at most `limit` bytes: a device or a growing file cannot fill memory. */
export function readAtMost(fd: number, limit: number): Uint8Array {
  const chunks: Buffer[] = [];
  let total = 0;
  while (total < limit) {
    const chunk = Buffer.allocUnsafe(Math.min(1 << 20, limit - total));
    const read = readRetrying(fd, chunk);
    if (read === 0) break;
    chunks.push(read === chunk.length ? chunk : chunk.subarray(0, read));
    total += read;
  }
  return Buffer.concat(chunks, total);
}

/** A non-blocking standard input answers EAGAIN while the writer has not written yet: wait and retry. */
function readRetrying(fd: number, chunk: Buffer): number {
  for (;;) {
    try {
      return fs.readSync(fd, chunk, 0, chunk.length, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

/** What a command's module provides when its name and summary are listed elsewhere. */
export type CommandBody = Pick<Command, 'usage' | 'run'>;

/**
 * A reader that stops early (`modus proof ... | head`) is not our failure: the rest of the output
 * is dropped. Any other failure to write (a full disk, `> /dev/full`) ends the command at once with
 * exit 1 and, for standard output, one line on standard error saying why.
 */
function handleWriteErrors(stream: NodeJS.WriteStream, name: string): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return;
    if (stream !== process.stderr) process.stderr.write(`modus: cannot write ${name}: ${writeFailure(err)}\n`);
    process.exit(1);
  });
}

/** `ENOSPC: no space left on device, write` as `no space left on device (ENOSPC)`. */
function writeFailure(err: NodeJS.ErrnoException): string {
  const reason = err.message.replace(/^[A-Z]+: /, '').replace(/, write$/, '');
  return err.code ? `${reason} (${err.code})` : reason;
}

/** A standard stream, set up when first written (setting one up costs a little of every start). */
function lazyStream(open: () => NodeJS.WriteStream, name: string): (text: string) => void {
  let stream: NodeJS.WriteStream | undefined;
  return (text) => {
    if (!stream) {
      stream = open();
      handleWriteErrors(stream, name);
    }
    stream.write(text);
  };
}

export function processIO(): CliIO {
  return {
    stdout: lazyStream(() => process.stdout, 'standard output'),
    stderr: lazyStream(() => process.stderr, 'standard error'),
    env: process.env,
    cwd: process.cwd(),
    isTTY: isatty(2),
    readStdin: (limit) => readAtMost(0, limit),
  };
}
