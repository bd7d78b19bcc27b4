/**
 * Layer cache control in BuildKit's terms: everything a step depends on beyond its
 * LLB inputs — `::cache_key` values, `::cache_probe` answers, `::cache_ttl` time buckets — is
 * folded into one salt that enters the step's cache key. Pure: probe answers and the clock are
 * given.
 */
import { createHash } from 'node:crypto';
import type { CacheControl, NodeId } from '../planner/plan';

export interface ProbeAnswer {
  /** sha256 of the probe's whole output. */
  digest: string;
  /** The first line of the output, shortened, for step names. */
  short: string;
}

type CacheKeyPart =
  | { kind: 'key'; value: string }
  | { kind: 'probe'; command: string; digest: string; short: string }
  | { kind: 'ttl'; seconds: number; bucket: number };

/** `no-cache`: every step, or the steps that come from these predicates. */
export interface NoCacheRequest {
  all: boolean;
  predicates: readonly string[];
}

export interface StepCacheKey {
  parts: CacheKeyPart[];
  /** What enters the step's cache key; undefined when nothing does (plain BuildKit caching). */
  salt?: string;
}

/** Identifies one probe run: the same command on the same base image runs once per build. */
/** What makes a probe's answer: its command, the image it runs on, and its working directory and env. */
export function probeId(command: string, base: NodeId, cwd = '', env: readonly (readonly [string, string])[] = []): string {
  return JSON.stringify([base, command, cwd, env]);
}

interface CacheInputs {
  /** Answers by probeId. */
  probeAnswers: ReadonlyMap<string, ProbeAnswer>;
  /** The probeId of a probe of a step (see caching/probes.ts, probeIdentity). */
  probeId: (probe: CacheControl['probes'][number], step: NodeId) => string;
  /** Seconds since the epoch (fixed by MODUS_CLOCK in tests). */
  now: number;
}

export function stepCacheKey(cache: CacheControl, step: NodeId, inputs: CacheInputs): StepCacheKey {
  const parts: CacheKeyPart[] = [];
  for (const value of cache.keys) parts.push({ kind: 'key', value });
  for (const probe of cache.probes) {
    const answer = inputs.probeAnswers.get(inputs.probeId(probe, step));
    if (!answer) throw new Error(`internal: probe \`${probe.command}\` has no answer`);
    parts.push({ kind: 'probe', command: probe.command, digest: answer.digest, short: answer.short });
  }
  for (const seconds of cache.ttlSeconds) parts.push({ kind: 'ttl', seconds, bucket: Math.floor(inputs.now / seconds) });
  if (parts.length === 0) return { parts };
  const stable = parts.map((p) => (p.kind === 'probe' ? { kind: p.kind, command: p.command, digest: p.digest } : p));
  return { parts, salt: JSON.stringify(stable) };
}

/**
 * The key of a step that must run again in every build without losing its cache mounts: its salt
 * together with the build's nonce, so that BuildKit meets the step as new in each build.
 */
export function withBuildNonce(key: StepCacheKey, nonce: string): StepCacheKey {
  return { parts: key.parts, salt: JSON.stringify({ salt: key.salt ?? null, nonce }) };
}

/**
 * The build arg MODUS_CLOCK (unix seconds; fixes the clock of `::cache_ttl`, for tests):
 * undefined when not given, an error message when it is not a whole number.
 */
export function parseClock(value: string | undefined): number | undefined | { error: string } {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) return { error: `invalid MODUS_CLOCK \`${value}\`: expected whole seconds since the epoch` };
  return Number(value);
}

/** The answer of a probe from its raw output. */
export function probeAnswer(output: Uint8Array): ProbeAnswer {
  const digest = createHash('sha256').update(output).digest('hex');
  const firstLine = Buffer.from(output).toString('utf8').split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  const short = firstLine.length > 24 ? `${firstLine.slice(0, 23)}…` : firstLine;
  return { digest, short };
}

/** The suffix of a step name: `[key v2] [probe "3f2a9c1 HEAD" sha256:3f2a9c1b] [ttl 1h #13560]`. */
export function describeKey(key: StepCacheKey): string {
  return key.parts
    .map((p) => {
      switch (p.kind) {
        case 'key':
          return `[key ${p.value}]`;
        case 'probe':
          return `[probe ${JSON.stringify(p.short)} ${p.digest.slice(0, 12)}]`;
        case 'ttl':
          return `[ttl ${formatSeconds(p.seconds)} #${p.bucket}]`;
      }
    })
    .join(' ');
}

function formatSeconds(seconds: number): string {
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60]] as const) {
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}
