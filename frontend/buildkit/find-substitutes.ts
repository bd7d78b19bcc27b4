/**
 * Substitution from a cache repository (build arg MODUS_CACHE_REPO): each image-producing
 * literal of the plan gets a content key (caching/content-keys.ts); when `REPO:KEY` exists and
 * carries the literal's label, the literal's image is taken from there instead of being built.
 * This part talks to the gateway: context files are read and hashed, images resolved.
 */
import { ImageAvailability } from '../caching/availability';
import {
  cacheImageRef,
  contentKey,
  copiedContextPaths,
  fromRefs,
  literalNodes,
  sha256Text,
  type ContextFileDigest,
} from '../caching/content-keys';
import { cacheable, neededNodes, type KeyedLiteral } from '../caching/substitution';
import type { FrontendContext } from '../gateway';
import type { ImageConfig } from '../imagegen/config';
import { generateImages, type BaseImage, type GeneratedImage, type GenerateOptions } from '../imagegen/generate';
import { FileAction, image, local, marshal, scratch, type State } from '../llb';
import type { Platform } from '../llb/types';
import { LITERAL_LABEL, type BuildPlan, type NodeId } from '../planner/plan';

interface SubstitutionOptions {
  repo: string;
  platform: Platform;
}

const DIR_BIT = 0x80000000;
const SYMLINK_BIT = 0x08000000;
const READ_CHUNK = 1 << 20;

/** Content keys of the plan's literals whose steps may be cached at all (no no_cache inside). */
export async function keyLiterals(ctx: FrontendContext, plan: BuildPlan, generate: GenerateOptions, platform: Platform): Promise<KeyedLiteral[]> {
  // The same keys on every daemon: the exec form of a merge, whatever form this daemon gets.
  const keyed = generateImages(plan, { ...generate, mergeOp: false, bases: portableBases(generate.bases), context: local('context'), sourceMap: undefined });
  const files = new ContextFiles(ctx, generate.context);
  const namedFiles = new Map<string, ContextFiles>();
  const out: KeyedLiteral[] = [];
  for (const literal of literalNodes(plan)) {
    if (!cacheable(plan, literal.node, generate.noCache)) continue;
    const contextFiles: ContextFileDigest[] = [];
    for (const path of copiedContextPaths(plan, literal.node)) contextFiles.push(...(await files.digests(path)));
    const namedContexts = [];
    for (const ref of fromRefs(plan, literal.node)) {
      const base = generate.bases.get(ref);
      if (!base?.fs) continue;
      if (!namedFiles.has(base.ref)) namedFiles.set(base.ref, new ContextFiles(ctx, base.fs));
      namedContexts.push({ name: base.ref, files: await namedFiles.get(base.ref)!.digests('') });
    }
    const ops = marshal(keyed[literal.node]!.fs, { platform, encoding: 'gogo' }).def;
    out.push({ ...literal, key: contentKey({ ops, config: JSON.stringify(keyed[literal.node]!.config), contextFiles, namedContexts }) });
  }
  return out;
}

/**
 * Bases as content keys see them: pinned by the digest of their configuration instead of the
 * digest the daemon resolved. Docker 20.10 reports a local image's id, the containerd image store
 * (current Docker) its manifest digest; the configuration, with its layers' diff ids, is the same
 * on both, so machines with different image stores share one cache repository. A directory named
 * context becomes a placeholder source without the build's session (its files enter the key apart).
 */
export function portableBases(bases: ReadonlyMap<string, BaseImage>): Map<string, BaseImage> {
  const out = new Map<string, BaseImage>();
  for (const [written, base] of bases) {
    const name = base.ref.split('@')[0]!;
    const portable = { ...base, ref: `${name}@${sha256Text(Buffer.from(JSON.stringify(base.config), 'utf8'))}` };
    out.set(written, base.fs ? { ...portable, fs: local(base.ref) } : portable);
  }
  return out;
}

/**
 * The substitutes found in the repository, by plan node. A tag whose literal label differs is
 * ignored with a warning step; a literal inside a substituted one is not reported.
 */
export async function findSubstitutes(ctx: FrontendContext, plan: BuildPlan, keyed: readonly KeyedLiteral[], options: SubstitutionOptions): Promise<Map<NodeId, GeneratedImage>> {
  const configs = new Map<string, ImageConfig>();
  const lookup = new ImageAvailability(async (ref) => {
    const resolved = await ctx.client.resolveImageConfig(ref, { platform: options.platform, resolveMode: 'pull', logName: `[modus] cache repo: look up ${ref}` });
    configs.set(ref, JSON.parse(Buffer.from(resolved.config).toString('utf8')) as ImageConfig);
    return resolved.digest ? { digest: resolved.digest } : {};
  });
  const resolutions = await lookup.checkAll(keyed.map((k) => cacheImageRef(options.repo, k.key)));
  const found = new Map<NodeId, GeneratedImage>();
  for (const [i, literal] of keyed.entries()) {
    const ref = cacheImageRef(options.repo, literal.key);
    const resolution = resolutions[i]!;
    const config = configs.get(ref);
    if (!resolution.available || !config) continue;
    const label = config.config?.Labels?.[LITERAL_LABEL];
    if (label !== literal.literal) {
      await announce(ctx, `[modus] warning: ${ref} is labelled ${JSON.stringify(label ?? '')}, not ${literal.literal}; ignored`);
      continue;
    }
    const pinned = resolution.digest ? `${ref}@${resolution.digest}` : ref;
    const fs = image(pinned, { platform: options.platform, customName: `[modus] substitute ${literal.literal} from ${ref}` });
    found.set(literal.node, { fs, config });
  }
  const needed = neededNodes(plan, found);
  for (const literal of keyed) {
    if (needed.has(literal.node) && !found.has(literal.node)) {
      await announce(ctx, `[modus] cache repo: building ${literal.literal} (${cacheImageRef(options.repo, literal.key)} not found)`);
    }
  }
  return found;
}

/**
 * A no-op step whose name is the message: the progress output is what the user sees. Its path
 * comes from the message because BuildKit merges ops of equal digest (names are not part of it):
 * with one path for all, only the first message would be shown.
 */
async function announce(ctx: FrontendContext, customName: string): Promise<void> {
  const step = scratch().file(FileAction.mkdir(`/modus-${sha256Text(Buffer.from(customName, 'utf8')).slice(7, 23)}`, 0o755), { customName });
  const { ref } = await ctx.client.solve({ definition: marshal(step) });
  await ctx.client.statFile(ref, '/').catch(() => undefined);
}

/** Content digests of paths of a client directory (the build context, a named context), read through the gateway (each path once). */
class ContextFiles {
  private ref: Promise<string> | undefined;
  private readonly memo = new Map<string, Promise<ContextFileDigest[]>>();

  constructor(
    private readonly ctx: FrontendContext,
    private readonly source: State,
  ) {}

  digests(path: string): Promise<ContextFileDigest[]> {
    let pending = this.memo.get(path);
    if (!pending) {
      pending = this.walk(path);
      this.memo.set(path, pending);
    }
    return pending;
  }

  private contextRef(): Promise<string> {
    this.ref ??= this.ctx.client.solve({ definition: marshal(this.source) }).then((r) => r.ref);
    return this.ref;
  }

  private async walk(root: string): Promise<ContextFileDigest[]> {
    const ref = await this.contextRef();
    const stat = await this.ctx.client.statFile(ref, root === '' ? '.' : root).catch(() => undefined);
    if (!stat) return [{ path: root, mode: 0, digest: 'missing' }];
    const out: ContextFileDigest[] = [];
    const pending: [string, number, number, string][] = [[root, stat.mode, stat.size, stat.linkname]];
    while (pending.length > 0) {
      const [path, mode, size, linkname] = pending.pop()!;
      if (mode & DIR_BIT) {
        out.push({ path, mode, digest: '' });
        const entries = await this.ctx.client.readDir(ref, path === '' ? '.' : path);
        for (const e of entries) pending.push([path === '' ? e.path : `${path}/${e.path}`, e.mode, e.size, e.linkname]);
      } else if (mode & SYMLINK_BIT) {
        out.push({ path, mode, digest: sha256Text(Buffer.from(linkname, 'utf8')) });
      } else {
        out.push({ path, mode, digest: sha256Text(await this.readAll(ref, path, size)) });
      }
    }
    return out;
  }

  private async readAll(ref: string, path: string, size: number): Promise<Uint8Array> {
    if (size <= READ_CHUNK) return this.ctx.client.readFile(ref, path);
    const parts: Uint8Array[] = [];
    for (let offset = 0; offset < size; offset += READ_CHUNK) {
      parts.push(await this.ctx.client.readFile(ref, path, { offset, length: Math.min(READ_CHUNK, size - offset) }));
    }
    return Buffer.concat(parts);
  }
}
