/** A readable listing of a build plan, one line per node, for debugging and tests. */
import { quoteModusString } from '../../grammar/quote';
import type { BuildPlan, CacheControl, MergeOperation, PlanNode, RunMount } from './plan';

interface PrintOptions {
  /** Append each node's origin (`# text in image [predicates]`). */
  origins?: boolean;
}

export function printPlan(plan: BuildPlan, options: PrintOptions = {}): string {
  const lines = plan.nodes.map((node, id) => {
    const line = `%${id} = ${describeNode(node)}`;
    if (!options.origins) return line;
    const { text, image, predicates } = node.origin;
    return `${line}  # ${text} in ${image} [${predicates.join(', ')}]`;
  });
  lines.push('outputs:');
  for (const output of plan.outputs) lines.push(`  ${output.literal} = %${output.node}`);
  return lines.join('\n') + '\n';
}

const q = quoteModusString;

function describeNode(node: PlanNode): string {
  switch (node.kind) {
    case 'from':
      return `from ${q(node.ref)}`;
    case 'scratch':
      return 'scratch';
    case 'run':
      return `run %${node.parent} ${q(node.command)}${describeCwdEnv(node.cwd, node.env)}${describeMounts(node.mounts)}${describeCache(node.cache)}`;
    case 'copyLocal':
      return `copy %${node.parent} context:${q(node.src)} -> ${q(node.dst)}${describeCache(node.cache)}`;
    case 'copyImage':
      return `copy %${node.parent} %${node.image}:${q(node.src)} -> ${q(node.dst)}${describeCache(node.cache)}`;
    case 'merge':
      return `merge %${node.parent} [${node.operations.map(describeOperation).join('; ')}]${describeCache(node.cache)}`;
    case 'setWorkdir':
      return `set_workdir %${node.parent} ${q(node.path)}`;
    case 'setEnv':
      return `set_env %${node.parent} ${q(node.key)} = ${q(node.value)}`;
    case 'appendPath':
      return `append_path %${node.parent} ${q(node.value)}`;
    case 'setEntrypoint':
      return `set_entrypoint %${node.parent} [${node.value.map(q).join(', ')}]`;
    case 'setCmd':
      return `set_cmd %${node.parent} [${node.value.map(q).join(', ')}]`;
    case 'setLabel':
      return `set_label %${node.parent} ${q(node.key)} = ${q(node.value)}`;
    case 'setUser':
      return `set_user %${node.parent} ${q(node.user)}`;
  }
}

function describeOperation(operation: MergeOperation): string {
  switch (operation.kind) {
    case 'run':
      return `run ${q(operation.command)}${describeCwdEnv(operation.cwd, operation.env)}${describeMounts(operation.mounts)}`;
    case 'copyLocal':
      return `copy context:${q(operation.src)} -> ${q(operation.dst)}`;
    case 'copyImage':
      return `copy %${operation.image}:${q(operation.src)} -> ${q(operation.dst)}`;
  }
}

function describeCwdEnv(cwd: string, env: [string, string][]): string {
  const cwdText = cwd === '' ? '' : ` in ${q(cwd)}`;
  const envText = env.length === 0 ? '' : ` with ${env.map(([k, v]) => `${k}=${q(v)}`).join(' ')}`;
  return cwdText + envText;
}

function describeMounts(mounts: readonly RunMount[] | undefined): string {
  if (!mounts) return '';
  const text = (m: RunMount) => {
    switch (m.kind) {
      case 'cache':
        return `cache ${q(m.id)} at ${q(m.target)}`;
      case 'secret':
        return `secret ${q(m.id)} at ${q(m.target)}`;
      case 'ssh':
        return `ssh ${q(m.id)}`;
      case 'tmpfs':
        return `tmpfs at ${q(m.target)}`;
    }
  };
  return ` mounting ${mounts.map(text).join(', ')}`;
}

function describeCache(cache: CacheControl): string {
  const parts: string[] = [];
  if (cache.noCache) parts.push('no_cache');
  for (const key of cache.keys) parts.push(`key ${q(key)}`);
  for (const probe of cache.probes) parts.push(`probe ${q(probe.command)}${probe.base === undefined ? '' : ` on %${probe.base}`}`);
  for (const ttl of cache.ttlSeconds) parts.push(`ttl ${ttl}s`);
  return parts.length === 0 ? '' : ` {${parts.join(', ')}}`;
}
