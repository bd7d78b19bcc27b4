/** What a command may touch: its arguments, output streams, environment and working directory. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** True when stderr is a terminal (colour, live progress). */
  isTTY: boolean;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: readonly string[], io: CliIO): Promise<number>;
}

/** A reader that stops early (`modus proof ... | head`) is not our failure: the rest of the output is dropped. */
function dropOutputOnBrokenPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
  });
}

export function processIO(): CliIO {
  dropOutputOnBrokenPipe(process.stdout);
  dropOutputOnBrokenPipe(process.stderr);
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    isTTY: !!process.stderr.isTTY,
  };
}
