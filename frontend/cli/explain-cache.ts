/**
 * `modus build --explain-cache`: the I/O around frontend/caching/explain.ts. The step records of
 * the previous build of each image are kept in one state file per user
 * ($MODUS_CACHE_DIR, else $XDG_CACHE_HOME/modus, else ~/.cache/modus: explain.json), keyed by the
 * Modusfile's path and the image literal.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { explainBuild, renderExplanations, type ExplainState } from '../caching/explain';

interface BuiltImageLog {
  literal: string;
  /** The build's plain progress output. */
  log: string;
}

export function explainStatePath(env: Readonly<Record<string, string | undefined>>): string {
  const dir = env.MODUS_CACHE_DIR || path.join(env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), '.cache'), 'modus');
  return path.join(dir, 'explain.json');
}

/** The explanation text of every image (in the order given), and the state file updated. */
export function explainCacheReport(modusfile: string, images: readonly BuiltImageLog[], env: Readonly<Record<string, string | undefined>>): string {
  const file = explainStatePath(env);
  let state = readState(file);
  const blocks: string[] = [];
  for (const image of images) {
    const result = explainBuild(state, path.resolve(modusfile), image.literal, image.log);
    state = result.state;
    const text = renderExplanations(result.explanations);
    blocks.push(`modus build: cache of ${image.literal}\n${text === '' ? '    (no Modus steps in the progress output)\n' : text.replace(/^/gm, '  ').replace(/ +$/, '')}`);
  }
  writeState(file, state);
  return blocks.join('');
}

function readState(file: string): ExplainState {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as ExplainState) : {};
  } catch {
    return {};
  }
}

/** Written whole to a temporary file and renamed, so concurrent builds never read half a file. */
function writeState(file: string, state: ExplainState): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(state) + '\n');
  fs.renameSync(temporary, file);
}
