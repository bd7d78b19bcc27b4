/**
 * Substitution from a cache repository: the content key of an image-producing
 * ground literal. Pure: plain data in, a key out.
 *
 * The key is a SHA-256 over, in this order and length-prefixed:
 *   1. a format version,
 *   2. the ops of the literal's marshaled LLB (deterministic; without the metadata, so step names
 *      and Modusfile positions do not matter). Base images are pinned by digest in them, and
 *      every salt of the cache control (cache_key values, probe answers, TTL buckets) is part of
 *      the steps, so all of those are inside. The build context appears only as a placeholder
 *      source (no session id): its content is item 4;
 *   3. the image configuration the literal produces (env, workdir, entrypoint, labels, ...);
 *   4. the content of every build-context path the literal's steps copy: for each file under
 *      those paths, its path, mode and the SHA-256 of its bytes, sorted by path;
 *   5. when the literal starts from a directory named context (`--build-context NAME=DIR`), which
 *      the ops show only as a placeholder source: its name and every file of it, as in item 4.
 * Nothing else: build args, secrets and the rest of the context are not inputs, so they cannot
 * leak into keys (a build arg enters only through the LLB text it produced).
 */
import { createHash } from 'crypto';
import { LITERAL_LABEL, type BuildPlan, type NodeId, type PlanNode } from '../planner/plan';

const CONTENT_KEY_VERSION = 'modus-content-key-v1';
/** Registry tags allow 128 characters of [A-Za-z0-9_.-]; the key is `mk1-` + 64 hex digits. */
const CONTENT_TAG_PREFIX = 'mk1-';

/** An image-producing literal of the plan: the node that sets its literal label. */
export interface LiteralNode {
  node: NodeId;
  literal: string;
}

export interface ContextFileDigest {
  /** Relative to the context root, `/`-separated, no leading `/`. */
  path: string;
  mode: number;
  /** `sha256:<hex>` of the content; for a symlink, of its target text; empty for a directory. */
  digest: string;
}

interface ContentKeyInput {
  /** The ops of the marshaled Definition (`def`), in their order. */
  ops: readonly Uint8Array[];
  /** The image configuration as JSON (any deterministic text). */
  config: string;
  contextFiles: readonly ContextFileDigest[];
  /** The directory named contexts the literal starts from, each with all its files. */
  namedContexts?: readonly { name: string; files: readonly ContextFileDigest[] }[];
}

/** Every node that labels an image with its literal (the images built for ground literals). */
export function literalNodes(plan: BuildPlan): LiteralNode[] {
  const out: LiteralNode[] = [];
  plan.nodes.forEach((node, id) => {
    if (node.kind === 'setLabel' && node.key === LITERAL_LABEL) out.push({ node: id, literal: node.value });
  });
  return out;
}

/** The nodes `root` is built from (itself included), ascending. */
export function subgraph(plan: BuildPlan, root: NodeId): NodeId[] {
  const seen = new Set<NodeId>();
  const pending = [root];
  while (pending.length > 0) {
    const id = pending.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    pending.push(...inputsOf(plan.nodes[id]!));
  }
  return [...seen].sort((a, b) => a - b);
}

function inputsOf(node: PlanNode): NodeId[] {
  const inputs: NodeId[] = [];
  if ('parent' in node) inputs.push(node.parent);
  if (node.kind === 'copyImage') inputs.push(node.image);
  if (node.kind === 'merge') for (const op of node.operations) if (op.kind === 'copyImage') inputs.push(op.image);
  for (const probe of 'cache' in node ? node.cache.probes : []) if (probe.base !== undefined) inputs.push(probe.base);
  return inputs;
}

/** The build-context paths the subgraph of `root` copies, normalised, distinct and sorted. */
export function copiedContextPaths(plan: BuildPlan, root: NodeId): string[] {
  const paths = new Set<string>();
  for (const id of subgraph(plan, root)) {
    const node = plan.nodes[id]!;
    if (node.kind === 'copyLocal') paths.add(contextPath(node.src));
    if (node.kind === 'merge') for (const op of node.operations) if (op.kind === 'copyLocal') paths.add(contextPath(op.src));
  }
  return [...paths].sort(compareText);
}

/** The references of the `from`s the subgraph of `root` starts from, distinct and sorted. */
export function fromRefs(plan: BuildPlan, root: NodeId): string[] {
  const refs = new Set<string>();
  for (const id of subgraph(plan, root)) {
    const node = plan.nodes[id]!;
    if (node.kind === 'from') refs.add(node.ref);
  }
  return [...refs].sort(compareText);
}

/** `./a//b/` → `a/b`; the context root is ``. */
export function contextPath(src: string): string {
  return src
    .split('/')
    .filter((part) => part !== '' && part !== '.')
    .join('/');
}

export function contentKey(input: ContentKeyInput): string {
  const hash = createHash('sha256');
  const field = (data: Uint8Array | string) => {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    hash.update(`${bytes.length}:`);
    hash.update(bytes);
  };
  field(CONTENT_KEY_VERSION);
  field(String(input.ops.length));
  for (const op of input.ops) field(op);
  field(input.config);
  const fileFields = (list: readonly ContextFileDigest[]) => {
    const files = [...list].sort((a, b) => compareText(a.path, b.path));
    field(String(files.length));
    for (const file of files) field(`${file.path}\0${file.mode.toString(8)}\0${file.digest}`);
  };
  fileFields(input.contextFiles);
  // Absent when there are none, so that the keys of every other literal stay what they were.
  const named = [...(input.namedContexts ?? [])].sort((a, b) => compareText(a.name, b.name));
  if (named.length > 0) field(`named contexts ${named.length}`);
  for (const context of named) {
    field(context.name);
    fileFields(context.files);
  }
  return CONTENT_TAG_PREFIX + hash.digest('hex');
}

/** `REPO:KEY`, the reference a sub-image is stored under. */
export function cacheImageRef(repo: string, key: string): string {
  return `${repo}:${key}`;
}

export function sha256Text(data: Uint8Array): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
