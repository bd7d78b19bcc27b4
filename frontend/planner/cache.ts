/** Layer cache control: what the cache operators contribute to every step inside them. */
import type { CacheControl, NodeId, Origin } from './plan';

export function noCacheControl(): CacheControl {
  return { noCache: false, keys: [], probes: [], ttlSeconds: [] };
}

export function isDefaultCache(cache: CacheControl): boolean {
  return !cache.noCache && cache.keys.length === 0 && cache.probes.length === 0 && cache.ttlSeconds.length === 0;
}

export function withNoCache(cache: CacheControl): CacheControl {
  return { ...cache, noCache: true };
}

export function withKey(cache: CacheControl, key: string): CacheControl {
  return { ...cache, keys: [...cache.keys, key] };
}

export function withProbe(cache: CacheControl, command: string, base: NodeId | undefined, origin: Origin): CacheControl {
  const probe = base === undefined ? { command, origin } : { command, base, origin };
  return { ...cache, probes: [...cache.probes, probe] };
}

export function withTtl(cache: CacheControl, seconds: number): CacheControl {
  return { ...cache, ttlSeconds: [...cache.ttlSeconds, seconds] };
}

/**
 * Everything of `extra` that `cache` lacks, added after it: the cache control of a `::merge`
 * step gathers what applied to each of its operations.
 */
export function unionCache(cache: CacheControl, extra: CacheControl): CacheControl {
  const probeKey = (p: CacheControl['probes'][number]) => `${p.base ?? ''} ${p.command}`;
  const knownProbes = new Set(cache.probes.map(probeKey));
  return {
    noCache: cache.noCache || extra.noCache,
    keys: [...cache.keys, ...extra.keys.filter((k) => !cache.keys.includes(k))],
    probes: [...cache.probes, ...extra.probes.filter((p) => !knownProbes.has(probeKey(p)))],
    ttlSeconds: [...cache.ttlSeconds, ...extra.ttlSeconds.filter((t) => !cache.ttlSeconds.includes(t))],
  };
}

const SECONDS_PER_UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/**
 * `"90s"`, `"30m"`, `"12h"`, `"7d"` (a decimal number is fine: `"1.5h"`) in whole seconds, or
 * an error message.
 */
export function parseDuration(text: string): { seconds: number } | { error: string } {
  const match = /^(\d+(?:\.\d+)?)([smhd])$/.exec(text);
  if (!match) return { error: `invalid duration \`${text}\`: expected a number followed by s, m, h or d` };
  const seconds = Math.round(Number(match[1]) * SECONDS_PER_UNIT[match[2]!]!);
  if (seconds <= 0) return { error: `invalid duration \`${text}\`: must be at least one second` };
  return { seconds };
}
