/**
 * The frontend options a `docker build` passes (target, build args, no-cache, platform, network,
 * labels), validated into plain data. Every bad value is a user error naming the option.
 */
import { parseClock } from '../caching/keys';
import { FrontendError } from '../gateway/errors';
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
  /** Undefined: the worker's default platform. */
  platform?: Platform;
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
}

/** A bad frontend option: a user error like any other (Returned as its message, no stack logged). */
export class OptionError extends FrontendError {}

export function readBuildOptions(opts: ReadonlyMap<string, string>): BuildOptions {
  const buildArgs: Record<string, string> = {};
  const labels: [string, string][] = [];
  for (const [key, value] of opts) {
    if (key.startsWith('build-arg:')) buildArgs[key.slice('build-arg:'.length)] = value;
    else if (key.startsWith('label:')) labels.push([key.slice('label:'.length), value]);
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
  const platform = readPlatform(opts.get('platform'));
  if (platform) options.platform = platform;
  const clock = parseClock(buildArgs.MODUS_CLOCK);
  if (typeof clock === 'object') throw new OptionError(clock.error);
  if (clock !== undefined) options.clock = clock;
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

/** `os/arch[/variant]`; one platform per build. */
export function readPlatform(value: string | undefined): Platform | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const list = value.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (list.length > 1) {
    throw new OptionError(`several platforms (${list.join(', ')}) were requested; this frontend builds one platform per build`);
  }
  const parts = list[0]!.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^[a-z0-9_.-]+$/i.test(p))) {
    throw new OptionError(`invalid platform \`${list[0]}\`: expected os/architecture[/variant], e.g. linux/amd64`);
  }
  const platform: Platform = { os: parts[0]!.toLowerCase(), architecture: parts[1]!.toLowerCase() };
  if (parts[2]) platform.variant = parts[2].toLowerCase();
  return platform;
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}
