/**
 * The frontend options a `docker build` passes (target, build args, no-cache, platform, network,
 * labels), validated into plain data. Every bad value is a user error naming the option.
 */
import { parseClock } from '../caching/keys';
import { FrontendError } from '../gateway/errors';
import { parsePlatforms, PlatformError } from '../llb/platform';
import type { NetworkMode, Platform } from '../llb/types';
import { budgetFrom, COST_FUNCTIONS, costFunctionNamed } from '../solver/options';
import { DEFAULT_MAX_FILE_SIZE } from '../pipeline';
import type { CostFunction } from '../solver/proof';

export interface BuildOptions {
  filename: string;
  dockerfileLocal: string;
  contextLocal: string;
  goal?: string;
  buildArgs: Record<string, string>;
  cost: CostFunction;
  budget?: number;
  noCache: { all: boolean; predicates: string[] };
  network: NetworkMode;
  /** `--platform a,b`: one result per platform. Empty: the worker's default platform. */
  platforms: Platform[];
  /** `--build-context NAME=VALUE` (options `context:NAME[::PLATFORM]`), by NAME[::PLATFORM]. */
  namedContexts: Map<string, string>;
  labels: [string, string][];
  imageResolveMode: string;
  /** MODUS_BUILD_ALL: a goal with several solutions builds them all in one solve (for `modus build`). */
  buildAll: boolean;
  /**
   * MODUS_EXPORT_ONLY: the build only exports what a build running alongside builds (`modus
   * build`'s one solve): it returns without waiting for BuildKit (no `evaluate`; a failing step is
   * then reported by BuildKit alone), and no step ignores the cache, so that every step is that
   * build's result (merged in flight, or its fresh cache record).
   */
  exportOnly: boolean;
  /** MODUS_CACHE_REPO: sub-images are taken from REPO:<content key> when there. */
  cacheRepo?: string;
  /** MODUS_RESOLVE_TIMEOUT_MS: how long cost `available` waits for one image to resolve. */
  resolveTimeoutMs?: number;
  /** MODUS_MAX_FILE_SIZE: the largest Modusfile read, in bytes. */
  maxFileSize: number;
  /** MODUS_CLOCK: fixed unix seconds for `::cache_ttl` buckets (tests); the real clock otherwise. */
  clock?: number;
  /**
   * MODUS_BUILD_NONCE: the value that makes the steps that run again but keep their cache mounts
   * new to BuildKit (see imagegen's `buildNonce`). `modus build` gives all its builds one; tests
   * fix it; a random one otherwise.
   */
  buildNonce?: string;
}

/** A bad frontend option: a user error like any other (Returned as its message, no stack logged). */
export class OptionError extends FrontendError {}

export function readBuildOptions(opts: ReadonlyMap<string, string>): BuildOptions {
  const buildArgs: Record<string, string> = {};
  const labels: [string, string][] = [];
  const namedContexts = new Map<string, string>();
  for (const [key, value] of opts) {
    if (key.startsWith('build-arg:')) buildArgs[key.slice('build-arg:'.length)] = value;
    else if (key.startsWith('label:')) labels.push([key.slice('label:'.length), value]);
    else if (key.startsWith('context:')) namedContexts.set(key.slice('context:'.length), value);
  }
  const goal = nonEmpty(opts.get('target')) ?? nonEmpty(buildArgs.MODUS_GOAL);
  const options: BuildOptions = {
    filename: nonEmpty(opts.get('filename')) ?? 'Dockerfile',
    dockerfileLocal: nonEmpty(opts.get('dockerfilekey')) ?? 'dockerfile',
    contextLocal: nonEmpty(opts.get('contextkey')) ?? 'context',
    buildArgs,
    cost: readCost(buildArgs.MODUS_COST),
    noCache: readNoCache(opts.get('no-cache') ?? noCacheFilterArg(buildArgs)),
    network: readNetwork(opts.get('force-network-mode')),
    labels,
    platforms: readPlatforms(opts.get('platform')),
    namedContexts,
    imageResolveMode: nonEmpty(opts.get('image-resolve-mode')) ?? 'default',
    buildAll: readFlag('MODUS_BUILD_ALL', buildArgs.MODUS_BUILD_ALL),
    exportOnly: readFlag('MODUS_EXPORT_ONLY', buildArgs.MODUS_EXPORT_ONLY),
    maxFileSize: readMaxFileSize(buildArgs.MODUS_MAX_FILE_SIZE),
  };
  if (goal !== undefined) options.goal = goal;
  const budget = readBudget(buildArgs.MODUS_BUDGET);
  if (budget !== undefined) options.budget = budget;
  const cacheRepo = buildArgs.MODUS_CACHE_REPO?.trim();
  if (cacheRepo) options.cacheRepo = cacheRepo;
  const resolveTimeoutMs = readTimeout(buildArgs.MODUS_RESOLVE_TIMEOUT_MS);
  if (resolveTimeoutMs !== undefined) options.resolveTimeoutMs = resolveTimeoutMs;
  const clock = parseClock(buildArgs.MODUS_CLOCK);
  if (typeof clock === 'object') throw new OptionError(clock.error);
  if (clock !== undefined) options.clock = clock;
  const nonce = nonEmpty(buildArgs.MODUS_BUILD_NONCE);
  if (nonce !== undefined) options.buildNonce = nonce;
  return options;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function readFlag(name: string, value: string | undefined): boolean {
  if (value === undefined || value === '' || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new OptionError(`invalid ${name} \`${value}\`: expected 1 or 0`);
}

function readCost(value: string | undefined): CostFunction {
  if (value === undefined || value === '') return 'layers';
  const cost = costFunctionNamed(value);
  if (cost) return cost;
  throw new OptionError(`invalid MODUS_COST \`${value}\`: expected one of ${COST_FUNCTIONS.join(', ')}`);
}

function readBudget(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const budget = budgetFrom(value);
  if (budget === undefined) throw new OptionError(`invalid MODUS_BUDGET \`${value}\`: expected a positive whole number of resolution steps`);
  return budget;
}

function readMaxFileSize(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_MAX_FILE_SIZE;
  if (/^[1-9][0-9]*$/.test(value) && Number.isSafeInteger(Number(value))) return Number(value);
  throw new OptionError(`invalid MODUS_MAX_FILE_SIZE \`${value}\`: expected a positive whole number of bytes`);
}

function readTimeout(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^[1-9][0-9]*$/.test(value) && Number.isSafeInteger(Number(value))) return Number(value);
  throw new OptionError(`invalid MODUS_RESOLVE_TIMEOUT_MS \`${value}\`: expected a positive whole number of milliseconds`);
}

/**
 * Docker 20.10's `docker build` cannot send `no-cache` with names (buildx's --no-cache-filter
 * can): the build arg MODUS_NO_CACHE_FILTER=P1,P2 stands in for it. Empty or absent: no filter.
 */
function noCacheFilterArg(buildArgs: Record<string, string>): string | undefined {
  const filter = buildArgs.MODUS_NO_CACHE_FILTER;
  return filter === undefined || filter.trim() === '' ? undefined : filter;
}

function readNoCache(value: string | undefined): BuildOptions['noCache'] {
  if (value === undefined) return { all: false, predicates: [] };
  const predicates = value.split(',').map((p) => p.trim()).filter((p) => p !== '');
  return predicates.length === 0 ? { all: true, predicates: [] } : { all: false, predicates };
}

function readNetwork(value: string | undefined): NetworkMode {
  if (value === undefined || value === '' || value === 'default' || value === 'sandbox') return 'sandbox';
  if (value === 'none' || value === 'host') return value;
  throw new OptionError(`invalid network mode \`${value}\`: expected none, host or default`);
}

/** `os/arch[/variant]`, several separated by commas (as `--platform` takes them); none when empty. */
function readPlatforms(value: string | undefined): Platform[] {
  if (value === undefined || value.trim() === '') return [];
  try {
    return parsePlatforms(value);
  } catch (err) {
    if (err instanceof PlatformError) throw new OptionError(err.message);
    throw err;
  }
}
