/** Runs the `modus` program in-process, in a fresh temporary directory, with captured output. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../frontend/cli/main';
import type { CliIO } from '../../../frontend/cli/io';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Workspace {
  dir: string;
  /** Writes a file (text or bytes) under the workspace, creating folders. */
  write(name: string, content: string | Uint8Array): void;
  run(argv: readonly string[], options?: { isTTY?: boolean; env?: Record<string, string>; stdin?: string }): Promise<RunResult>;
  remove(): void;
}

export function workspace(): Workspace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modus-cli-'));
  return {
    dir,
    write(name, content) {
      const file = path.join(dir, name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    },
    async run(argv, options = {}) {
      let stdout = '';
      let stderr = '';
      const io: CliIO = {
        stdout: (text) => {
          stdout += text;
        },
        stderr: (text) => {
          stderr += text;
        },
        env: options.env ?? {},
        cwd: dir,
        isTTY: options.isTTY ?? false,
        readStdin: (limit) => Buffer.from(options.stdin ?? '').subarray(0, limit),
      };
      const code = await main(argv, io);
      return { code, stdout, stderr };
    },
    remove() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What a stack trace or an unhandled failure would leave in the output. */
export const CRASH_PATTERN = /internal error|\n\s+at .+\(.*:\d+:\d+\)|TypeError|RangeError|Maximum call stack/;

/** A deterministic byte generator (xorshift), so failing inputs can be reproduced. */
export function pseudoRandomBytes(length: number, seed: number, alphabet?: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = seed | 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const r = x >>> 0;
    bytes[i] = alphabet ? alphabet[r % alphabet.length]! : r & 0xff;
  }
  return bytes;
}
