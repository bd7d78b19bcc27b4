/**
 * `::merge` with `run` steps inside: one exec whose shell script performs every operation in
 * order, so the whole merge is one layer. Copy sources are mounted read-only under /dev (a tmpfs
 * the runtime provides), so their mount points never land in the layer. Such a merge needs `sh`
 * (it runs commands anyway) and, when it also copies, `mkdir` and `cp` in the image; a merge of
 * copies only is a FileOp and needs nothing (see generate.ts).
 */
import type { State } from '../llb';
import type { MergeOperation } from '../planner/plan';
import { resolvePath } from './config';

export const MERGE_MOUNT_ROOT = '/dev/.modus-merge';

interface MergeMount {
  index: number;
  from: State;
}

type CopyOperation = Exclude<MergeOperation, { kind: 'run' }>;

export function mergeScript(
  operations: readonly MergeOperation[],
  workdir: string,
  sourceOf: (op: CopyOperation) => { from: State; src: string },
): { script: string; mounts: MergeMount[] } {
  const mounts: MergeMount[] = [];
  const steps = operations.map((op) => {
    if (op.kind === 'run') return runStep(op, workdir);
    const { from, src } = sourceOf(op);
    let index = mounts.findIndex((m) => m.from === from);
    if (index < 0) {
      index = mounts.length;
      mounts.push({ index, from });
    }
    return copyStep(`${MERGE_MOUNT_ROOT}/${index}${src === '/' ? '' : src}`, resolvePath(workdir, op.dst), op.origin.text);
  });
  return { script: ['set -e', ...steps].join('\n'), mounts };
}

function runStep(op: Extract<MergeOperation, { kind: 'run' }>, workdir: string): string {
  const cwd = resolvePath(workdir, op.cwd || '.');
  const exports = op.env.map(([k, v]) => `export ${k}=${shellQuote(v)}`);
  // A subshell per step: in_env and cd never leak into the next step.
  const step = `(${[`mkdir -p ${shellQuote(cwd)} 2>/dev/null || true`, `cd ${shellQuote(cwd)}`, ...exports, `/bin/sh -c ${shellQuote(op.command)}`].join(' && ')})`;
  // Say which step of the merge failed (its text, not its position: positions must not enter the cache key).
  return `${step} || { code=$?; printf '%s failed with exit code %s\\n' ${shellQuote(op.origin.text)} "$code" >&2; exit "$code"; }`;
}

function copyStep(src: string, dst: string, text: string): string {
  const intoDir = dst.endsWith('/');
  const target = shellQuote(dst);
  const parent = shellQuote(intoDir ? dst : dst.replace(/\/[^/]*$/, '') || '/');
  const s = shellQuote(src);
  return [
    `if [ ! -e ${s} ] && [ ! -L ${s} ]; then printf '%s: source not found\\n' ${shellQuote(text)} >&2; exit 1; fi`,
    `mkdir -p ${parent} 2>/dev/null || true`,
    `if [ -d ${s} ]; then mkdir -p ${target} 2>/dev/null || true; cp -a ${s}/. ${target}; else cp -aH ${s} ${target}; fi`,
  ].join('\n');
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
