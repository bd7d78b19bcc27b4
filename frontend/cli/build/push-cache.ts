/**
 * `modus build --cache-repo R --push-cache`: once every image is built, push each sub-image the
 * frontend built rather than took from R, as R:KEY. The frontend names each of them in a step
 * `[modus] cache repo: building LIT (R:KEY not found)` — every needed image-producing literal of
 * the proofs, not only the goals — so the plain progress already holds the (literal, key) pairs.
 * A literal that is not a goal is built once more with `--target LIT` (its steps are cached, so
 * this is instant) to get an image to tag; then `docker tag` and `docker push`. Nothing else is
 * pushed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CliIO } from '../io';
import { dockerEnv, runDocker, targetBuildJob, type BuildSetting } from './docker';
import { runBuilds } from './runner';

interface CacheBuild {
  literal: string;
  key: string;
}

interface CacheBuildsFound {
  /** Sorted by literal, one entry per literal. */
  builds: CacheBuild[];
  /** Literals announced with different keys in different logs: never pushed. */
  conflicting: string[];
}

const KEY_PATTERN = 'mk1-[0-9a-f]{64}';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function buildingLine(repo: string): RegExp {
  return new RegExp(`\\[modus\\] cache repo: building (.+) \\(${escapeRegExp(repo)}:(${KEY_PATTERN}) not found\\)\\s*$`, 'gm');
}

/** The (literal, key) pairs the frontend announced as built for `repo`, across the given logs. */
export function cacheBuildsInLogs(logs: readonly string[], repo: string): CacheBuildsFound {
  const keys = new Map<string, Set<string>>();
  for (const log of logs) {
    for (const match of log.matchAll(buildingLine(repo))) {
      const literal = match[1]!;
      if (!keys.has(literal)) keys.set(literal, new Set());
      keys.get(literal)!.add(match[2]!);
    }
  }
  const builds: CacheBuild[] = [];
  const conflicting: string[] = [];
  for (const literal of [...keys.keys()].sort()) {
    const found = [...keys.get(literal)!];
    if (found.length === 1) builds.push({ literal, key: found[0]! });
    else conflicting.push(literal);
  }
  return { builds, conflicting };
}

interface PushCacheRequest extends BuildSetting {
  repo: string;
  /** The plain progress of each goal's build. */
  logs: readonly string[];
  /** Image ids of the goals just built, by literal: these need no second build. */
  goalImages: ReadonlyMap<string, string>;
  concurrency: number;
  /** Where the lines that only inform go (what was pushed); warnings and errors go to stderr. */
  info: (text: string) => void;
}

/** Pushes the built sub-images; false (after saying why on stderr) when any could not be pushed. */
export async function pushCache(req: PushCacheRequest, io: CliIO, signal: AbortSignal): Promise<boolean> {
  const { builds, conflicting } = cacheBuildsInLogs(req.logs, req.repo);
  for (const literal of conflicting) io.stderr(`modus build: warning: ${literal} was built under several keys; not pushed\n`);
  if (builds.length === 0) {
    req.info(`modus build: nothing to push to ${req.repo} (every sub-image was taken from it or cannot be cached)\n`);
    return conflicting.length === 0;
  }
  const images = await subImageIds(req, builds, io, signal);
  if (signal.aborted) return false;
  const pushed = await Promise.all(builds.map((b, i) => (images[i] === undefined ? false : tagAndPush(req.client.command, images[i]!, `${req.repo}:${b.key}`, io))));
  builds.forEach((b, i) => {
    if (pushed[i]) req.info(`modus build: pushed ${b.literal} as ${req.repo}:${b.key}\n`);
  });
  return conflicting.length === 0 && pushed.every(Boolean);
}

/** Each build's image id: the goal's own, else a cached `--target` build whose key must agree. */
async function subImageIds(req: PushCacheRequest, builds: readonly CacheBuild[], io: CliIO, signal: AbortSignal): Promise<(string | undefined)[]> {
  const scratchDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modus-push-cache-'));
  try {
    const toBuild = builds.filter((b) => !req.goalImages.has(b.literal));
    const jobs = toBuild.map((b, i) => targetBuildJob(req, b.literal, path.join(scratchDir, `${i}.iid`)));
    const results =
      jobs.length === 0
        ? []
        : await runBuilds(jobs, { command: req.client.command, env: dockerEnv(io.env), cwd: io.cwd, concurrency: Math.max(1, req.concurrency), signal, onEvent: () => {} });
    const built = new Map<string, string | undefined>();
    toBuild.forEach((b, i) => {
      const result = results[i]!;
      if (result.state !== 'done' || !result.imageId) {
        if (result.state === 'failed') io.stderr(`modus build: building ${b.literal} again to push it failed:\n${result.log.trimEnd()}\n`);
        built.set(b.literal, undefined);
        return;
      }
      const again = cacheBuildsInLogs([result.log], req.repo).builds.find((c) => c.literal === b.literal);
      if (again && again.key !== b.key) {
        io.stderr(`modus build: warning: ${b.literal} has key ${again.key} when built alone, not ${b.key}; not pushed\n`);
        built.set(b.literal, undefined);
        return;
      }
      built.set(b.literal, result.imageId);
    });
    return builds.map((b) => req.goalImages.get(b.literal) ?? built.get(b.literal));
  } finally {
    fs.rmSync(scratchDir, { recursive: true, force: true });
  }
}

async function tagAndPush(docker: string, id: string, ref: string, io: CliIO): Promise<boolean> {
  const tagged = await runDocker(docker, ['tag', id, ref], io.env);
  if (tagged.code !== 0) {
    io.stderr(`modus build: docker tag ${id} ${ref} failed: ${tagged.stderr.trim()}\n`);
    return false;
  }
  const pushed = await runDocker(docker, ['push', ref], io.env);
  if (pushed.code !== 0) {
    io.stderr(`modus build: docker push ${ref} failed: ${(pushed.stderr || pushed.stdout).trim()}\n`);
    return false;
  }
  return true;
}
