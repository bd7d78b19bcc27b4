/**
 * The working directory of every plan node, worked out statically. A Dockerfile resolves a
 * relative `COPY --from` source against `/` of the source stage, while Modus resolves it against
 * the source image's working directory, so the transpiler must know that directory. It is known
 * unless it comes from a base image whose configuration was not given.
 */
import { posix } from 'node:path';
import type { BuildPlan } from '../planner/plan';

export type KnownWorkdir = { known: true; dir: string } | { known: false; base: string };

/** `baseWorkdirs`: each base reference's configured WorkingDir (`''` when unset). */
export function nodeWorkdirs(plan: BuildPlan, baseWorkdirs: ReadonlyMap<string, string>): KnownWorkdir[] {
  const dirs: KnownWorkdir[] = [];
  plan.nodes.forEach((node) => {
    switch (node.kind) {
      case 'from': {
        const configured = baseWorkdirs.get(node.ref);
        dirs.push(configured === undefined ? { known: false, base: node.ref } : { known: true, dir: posix.resolve('/', configured) });
        return;
      }
      case 'scratch':
        dirs.push({ known: true, dir: '/' });
        return;
      case 'setWorkdir': {
        const parent = dirs[node.parent]!;
        if (node.path.startsWith('/')) dirs.push({ known: true, dir: posix.resolve(node.path) });
        else if (parent.known) dirs.push({ known: true, dir: posix.resolve(parent.dir, node.path) });
        else dirs.push(parent);
        return;
      }
      default:
        dirs.push(dirs[node.parent]!);
    }
  });
  return dirs;
}
