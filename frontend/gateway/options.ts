/**
 * What BuildKit tells a frontend through its environment: the frontend options
 * (`BUILDKIT_FRONTEND_OPT_<i>=<key>=<value>`), the client session and the exporter kind.
 */

export interface FrontendEnv {
  /** Frontend options sorted bytewise by key (a Map, so keys like "10" keep that order). */
  opts: ReadonlyMap<string, string>;
  /** BUILDKIT_SESSION_ID: needed for `local://` sources. */
  sessionId: string;
  /** BUILDKIT_EXPORTEDPRODUCT: `docker` under Docker, `buildkit` under buildkitd. */
  exportedProduct: string;
}

const OPT_PREFIX = 'BUILDKIT_FRONTEND_OPT_';

export function parseFrontendEnv(env: Readonly<Record<string, string | undefined>>): FrontendEnv {
  const numbered: [number, string][] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(OPT_PREFIX) || value === undefined) continue;
    const index = Number(name.slice(OPT_PREFIX.length));
    if (Number.isInteger(index)) numbered.push([index, value]);
  }
  numbered.sort((a, b) => a[0] - b[0]);
  const pairs: [string, string][] = numbered.map(([, entry]) => {
    const eq = entry.indexOf('=');
    return eq < 0 ? [entry, ''] : [entry.slice(0, eq), entry.slice(eq + 1)];
  });
  const byKey = new Map<string, string>();
  for (const [key, value] of pairs) byKey.set(key, value);
  const sortedKeys = [...byKey.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return {
    opts: new Map(sortedKeys.map((k) => [k, byKey.get(k)!])),
    sessionId: env.BUILDKIT_SESSION_ID ?? '',
    exportedProduct: env.BUILDKIT_EXPORTEDPRODUCT ?? '',
  };
}

/** The `build-arg:NAME` options as a sorted map NAME → value. */
export function buildArgs(opts: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of opts) if (key.startsWith('build-arg:')) out.set(key.slice('build-arg:'.length), value);
  return out;
}

/** `cache-imports` (JSON) plus the legacy comma list `cache-from`, as SolveRequest.CacheImports. */
export function cacheImports(opts: ReadonlyMap<string, string>): { type: string; attrs: Record<string, string> }[] {
  const out: { type: string; attrs: Record<string, string> }[] = [];
  const json = opts.get('cache-imports');
  if (json) {
    const parsed = JSON.parse(json) as { Type?: string; Attrs?: Record<string, string> }[];
    for (const entry of parsed) if (entry.Type) out.push({ type: entry.Type, attrs: { ...(entry.Attrs ?? {}) } });
  }
  for (const ref of (opts.get('cache-from') ?? '').split(',')) {
    if (ref.trim() !== '') out.push({ type: 'registry', attrs: { ref: ref.trim() } });
  }
  return out;
}
