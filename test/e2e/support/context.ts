// Build contexts for e2e tests: temporary directories filled with the given files.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const createdDirectories: string[] = [];

/** A temporary directory holding `files` (paths relative to it; parent folders are created). */
export function makeContext(files: Record<string, string | Buffer> = {}): string {
  const directory = makeTempDirectory('modus-e2e-context-');
  for (const name of Object.keys(files).sort()) {
    writeContextFile(directory, name, files[name]);
  }
  return directory;
}

/** Writes one file into a context made by `makeContext`, refusing paths that leave it. */
export function writeContextFile(context: string, name: string, content: string | Buffer): string {
  const target = path.resolve(context, name);
  if (target !== context && !target.startsWith(context + path.sep)) {
    throw new Error(`context file ${name} lies outside ${context}`);
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, content);
  return target;
}

export function makeTempDirectory(prefix: string): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  createdDirectories.push(directory);
  return directory;
}

/** Removes every directory made here so far (kept when MODUS_E2E_KEEP=1, for debugging). */
export function removeTempDirectories(): void {
  if (process.env.MODUS_E2E_KEEP === '1') return;
  for (const directory of createdDirectories.splice(0)) {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}
