/**
 * Cost `available`: which `from(...)` images of a program exist, as some resolver
 * reports (the gateway's ResolveImageConfig in the frontend; `docker image inspect` or the
 * registry's HTTP API in the `modus` program). The resolver is injected, so this module does no
 * I/O itself: it memoises, bounds concurrency, applies a timeout and turns failures into
 * "unavailable" with a reason.
 */
import type { IRProgram, IRTerm } from '../language/ir';

export interface ImageResolution {
  ref: string;
  available: boolean;
  /** The manifest digest the resolver reported, when it did. */
  digest?: string;
  /** Why the image counts as unavailable (resolver error or timeout). */
  reason?: string;
}

/** Resolves one image reference; rejects (any error) when the image cannot be found. */
export type ImageResolver = (ref: string) => Promise<{ digest?: string }>;

interface AvailabilityOptions {
  /** Most resolutions in flight at once (default 4). */
  concurrency?: number;
  /** Milliseconds before one resolution counts as failed (default 20 000). */
  timeoutMs?: number;
}

/** `from("scratch")` is the empty image: always there, nothing to look up. */
const SCRATCH = 'scratch';

const DEFAULT_RESOLVE_CONCURRENCY = 4;
const DEFAULT_RESOLVE_TIMEOUT_MS = 20_000;

/**
 * Every image reference written as a constant `from("...")` in a clause body, distinct and sorted.
 * References computed at solve time (f-strings, variables) are not known here: see
 * solveWithAvailability.
 */
export function constantFromRefs(program: IRProgram): string[] {
  const refs = new Set<string>();
  for (const clause of program.clauses) {
    for (const literal of clause.body) {
      const arg: IRTerm | undefined = literal.args[0];
      if (literal.positive && literal.predicate === 'from' && literal.args.length === 1 && arg?.kind === 'const' && arg.value !== SCRATCH) refs.add(arg.value);
    }
  }
  return [...refs].sort(compareText);
}

/** Memoised, bounded, time-limited image resolution. One instance per build (or CLI run). */
export class ImageAvailability {
  private readonly memo = new Map<string, Promise<ImageResolution>>();
  private readonly concurrency: number;
  private readonly timeoutMs: number;
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly resolver: ImageResolver,
    options: AvailabilityOptions = {},
  ) {
    this.concurrency = Math.max(1, options.concurrency ?? DEFAULT_RESOLVE_CONCURRENCY);
    this.timeoutMs = Math.max(1, options.timeoutMs ?? DEFAULT_RESOLVE_TIMEOUT_MS);
  }

  check(ref: string): Promise<ImageResolution> {
    let pending = this.memo.get(ref);
    if (pending === undefined) {
      pending = this.limited(() => this.resolveOne(ref));
      this.memo.set(ref, pending);
    }
    return pending;
  }

  /** The resolutions of `refs`, in the order given (duplicates resolved once). */
  checkAll(refs: readonly string[]): Promise<ImageResolution[]> {
    return Promise.all(refs.map((ref) => this.check(ref)));
  }

  private async resolveOne(ref: string): Promise<ImageResolution> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      const found = await Promise.race([this.resolver(ref), timeout]);
      return found.digest ? { ref, available: true, digest: found.digest } : { ref, available: true };
    } catch (err) {
      return { ref, available: false, reason: oneLine(err instanceof Error ? err.message : String(err)) };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs `task` when a slot is free; a finishing task hands its slot straight to the next one. */
  private async limited<T>(task: () => Promise<T>): Promise<T> {
    if (this.running < this.concurrency) this.running++;
    else await new Promise<void>((wake) => this.waiting.push(wake));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

/**
 * Solves with cost `available` until every image the search met is known. The constant
 * `from("...")` references are resolved first; a reference computed while solving (an f-string,
 * a variable) is only known once a solve reaches it, so the images a solve asked about that were
 * not known yet are resolved and the goal is solved again with them (unknown images count as
 * available, so a solve meets at least every image the next one meets: two solves at most in
 * practice). `solveWith` must be pure: the same lookup gives the same result.
 */
export async function solveWithAvailability<T>(
  availability: ImageAvailability,
  program: IRProgram,
  solveWith: (isAvailable: (ref: string) => boolean | undefined) => T,
): Promise<{ result: T; resolutions: ImageResolution[] }> {
  const resolutions = await availability.checkAll(constantFromRefs(program));
  const known = new Map(resolutions.map((r) => [r.ref, r.available] as const));
  for (;;) {
    const asked = new Set<string>();
    const result = solveWith((ref) => {
      if (ref === SCRATCH) return true;
      const available = known.get(ref);
      if (available === undefined) asked.add(ref);
      return available;
    });
    if (asked.size === 0) return { result, resolutions };
    for (const resolution of await availability.checkAll([...asked].sort(compareText))) {
      resolutions.push(resolution);
      known.set(resolution.ref, resolution.available);
    }
  }
}

/** The solver's `isAvailable` over finished resolutions: unknown references are left undefined. */
export function availabilityLookup(resolutions: readonly ImageResolution[]): (ref: string) => boolean | undefined {
  const known = new Map(resolutions.map((r) => [r.ref, r.available] as const));
  return (ref) => (ref === SCRATCH ? true : known.get(ref));
}

/** One line per image, sorted: `found    REF (DIGEST)` / `missing  REF: REASON`. */
export function availabilityReport(resolutions: readonly ImageResolution[]): string[] {
  return [...resolutions]
    .sort((a, b) => compareText(a.ref, b.ref))
    .map((r) =>
      r.available ? `found    ${r.ref}${r.digest ? ` (${r.digest})` : ''}` : `missing  ${r.ref}${r.reason ? `: ${r.reason}` : ''}`,
    );
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 197)}...` : flat;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
