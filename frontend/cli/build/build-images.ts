/**
 * `modus build` after solving: with several images, one build of the whole goal in one solve; one
 * `docker build --target <literal>` per image alongside it, all against the same daemon (BuildKit
 * runs the steps they share once: their LLB is byte-identical); then the tags, only when every
 * image was built, and the JSON report.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CliIO } from '../io';
import { dockerEnv, runDocker, targetBuildJob, type BuildInputs, type DockerClient } from './docker';
import { BuildProgress, failureLog, infoWriter, printQuietIds, progressOptions, seconds, type ProgressMode } from './progress';
import { retryDroppedFrontend, runBuilds, type BuildJob, type JobResult } from './runner';
import { explainCacheReport } from '../explain-cache';
import { pushCache } from './push-cache';

export interface ImageToBuild {
  literal: string;
  predicate: string;
  args: (string | string[])[];
  tags: string[];
  /** The platforms this image is built for, when not every requested one (bake only). */
  platforms?: string[];
}

interface BuildImagesRequest extends BuildInputs {
  images: ImageToBuild[];
  /**
   * The goal as the user wrote it. With several images it is also built whole, in one solve
   * (the frontend's MODUS_BUILD_ALL), so BuildKit schedules the union of all steps at once; the
   * per-image builds, which run alongside, share its steps and export.
   */
  goal?: string;
  client: DockerClient;
  concurrency: number;
  progress: ProgressMode;
  json: boolean;
  /** `--explain-cache`: the Modusfile whose per-image step records are compared with the last build's. */
  explainCache?: string;
  /** `--push-cache`: the cache repository the built sub-images are pushed to after success. */
  pushCache?: string;
}

interface ImageReport {
  literal: string;
  predicate: string;
  args: (string | string[])[];
  image_id: string | null;
  tags: string[];
}

export const INTERRUPTED_EXIT_CODE = 130;

export async function buildImages(req: BuildImagesRequest, io: CliIO, signal: AbortSignal): Promise<number> {
  const began = performance.now();
  const scratchDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modus-build-'));
  try {
    const oneSolve = usesOneSolve(req);
    // Every build of the run, the sub-images built again for --push-cache included.
    const shared = { ...req, buildArgs: withSharedArgs(req.buildArgs) };
    const jobs = perImageJobs(shared, scratchDir, oneSolve);
    const concurrency = Math.max(1, Math.min(req.concurrency, jobs.length));
    const via = req.client.buildx ? `${req.client.command} buildx build` : `DOCKER_BUILDKIT=1 ${req.client.command} build`;
    const info = infoWriter(req.progress, io);
    info(`modus build: ${jobs.length} image${jobs.length === 1 ? '' : 's'}, ${concurrency} at a time, through ${via} with ${req.frontend}\n`);
    const progress = new BuildProgress(
      jobs.map((j) => j.literal),
      progressOptions(req.progress, io),
    );
    progress.begin(concurrency);
    // The per-image builds run alongside the one solve: each waits in BuildKit for the steps the
    // one solve is running (identical steps are solved once), so their start-up overlaps the build
    // and each image is exported as soon as it is complete. They start once the one solve's
    // frontend is past its own work, which their frontends would otherwise slow down.
    let stepsStarted = () => {};
    const oneSolveRunning = new Promise<void>((resolve) => (stepsStarted = resolve));
    const [, results] = await Promise.all([
      oneSolve ? buildAllInOneSolve(shared, scratchDir, io, signal, progress, stepsStarted) : stepsStarted(),
      oneSolveRunning.then(() => runBuilds(jobs, {
        command: req.client.command,
        env: dockerEnv(io.env),
        cwd: io.cwd,
        concurrency,
        signal,
        onEvent: (event) => progress.onEvent(event),
        retry: retryDroppedFrontend((i) => jobs[i]!.literal, (text) => io.stderr(text)),
      })),
    ]);
    progress.end();
    const elapsed = seconds((performance.now() - began) / 1000);
    if (signal.aborted) {
      const stopped = results.filter((r) => r.state === 'cancelled').length;
      io.stderr(`modus build: interrupted; ${stopped} build${stopped === 1 ? '' : 's'} stopped, nothing was tagged\n`);
      return INTERRUPTED_EXIT_CODE;
    }
    if (req.explainCache !== undefined) {
      const logs = req.images.flatMap((image, i) => (results[i]!.state === 'cancelled' ? [] : [{ literal: image.literal, log: results[i]!.log }]));
      io.stderr(explainCacheReport(req.explainCache, logs, io.env));
    }
    const failed = req.images.filter((_, i) => results[i]!.state !== 'done');
    for (const [i, image] of req.images.entries()) {
      if (results[i]!.state === 'failed') io.stderr(failureLog(image.literal, results[i]!));
    }
    if (failed.length > 0) {
      if (req.json) io.stdout(reportJson(req.images, results, req.images.map(() => [])));
      const built = req.images.length - failed.length;
      io.stderr(
        `modus build: ${failed.length} of ${req.images.length} images failed after ${elapsed}` +
          `${built > 0 ? ` (${built} built, not tagged)` : ''}:\n${failed.map((f) => `  ${f.literal}\n`).join('')}`,
      );
      return 1;
    }
    const tagging = await tagImages({ images: req.images, command: req.client.command, info }, results, io);
    if (req.json) io.stdout(reportJson(req.images, results, tagging.applied));
    if (!tagging.ok) return 1;
    if (req.pushCache !== undefined && !(await pushBuiltSubImages(shared, req.pushCache, results, io, signal))) return 1;
    printQuietIds(req.progress, req.json, results.map((r) => r.imageId), io);
    info(`modus build: ${req.images.length} image${req.images.length === 1 ? '' : 's'} built in ${elapsed}\n`);
    if (signal.aborted) {
      io.stderr('modus build: interrupted after the last build ended; the tags were completed\n');
      return INTERRUPTED_EXIT_CODE;
    }
    return 0;
  } finally {
    fs.rmSync(scratchDir, { recursive: true, force: true });
  }
}

/**
 * A progress line of a Modusfile step: the one solve's frontend is past its own work and BuildKit
 * has loaded its whole graph, so the per-image builds' steps join it.
 */
const FRONTEND_PAST_ITS_WORK = /^#\d+ .* › /;

/** The frontend's message in a failed build's last words (positioned for a failing step), if any. */
export function oneSolveError(log: string): string | undefined {
  const line = log.split('\n').reverse().find((l) => l.includes('failed to solve'));
  if (!line) return undefined;
  const desc = line.indexOf('desc = ');
  return (desc >= 0 ? line.slice(desc + 'desc = '.length) : line).trim();
}

/**
 * What every build of one run must agree on: the clock (`::cache_ttl` buckets) and the nonce that
 * makes a step that runs again but keeps its cache mounts new to BuildKit (so that it runs once
 * per run, its result shared by every image), unless the user fixed them.
 */
export function withSharedArgs(buildArgs: Record<string, string>): Record<string, string> {
  return {
    ...buildArgs,
    MODUS_CLOCK: buildArgs.MODUS_CLOCK ?? String(Math.floor(Date.now() / 1000)),
    MODUS_BUILD_NONCE: buildArgs.MODUS_BUILD_NONCE ?? randomBytes(16).toString('hex'),
  };
}

/**
 * One `docker build --target <literal>` per image. Alongside the one solve they only export
 * (MODUS_EXPORT_ONLY): their frontend returns without waiting (its container ends early) and no
 * step of theirs ignores the cache, so each step is the one solve's result even under
 * `--no-cache` or `::no_cache`.
 */
function perImageJobs(req: BuildImagesRequest, scratchDir: string, oneSolve: boolean): BuildJob[] {
  const options = oneSolve ? { extraBuildArgs: { MODUS_EXPORT_ONLY: '1' } } : { noCache: req.noCache };
  return req.images.map((image, i) => targetBuildJob(req, image.literal, path.join(scratchDir, `${i}.iid`), options));
}

function usesOneSolve(req: BuildImagesRequest): boolean {
  // Cache explanations compare each image's own step records, which the export pass would hide.
  return req.goal !== undefined && req.images.length > 1 && req.explainCache === undefined;
}

/**
 * One `docker build` of the whole goal with MODUS_BUILD_ALL=1. If it fails, the per-image builds
 * running alongside find out which images fail (the others reuse what this one built).
 */
async function buildAllInOneSolve(
  req: BuildImagesRequest,
  scratchDir: string,
  io: CliIO,
  signal: AbortSignal,
  progress: BuildProgress,
  stepsStarted: () => void,
): Promise<void> {
  const job = targetBuildJob(req, req.goal!, path.join(scratchDir, 'all.iid'), { extraBuildArgs: { MODUS_BUILD_ALL: '1' }, noCache: req.noCache });
  const info = infoWriter(req.progress, io);
  info(`modus build: building all ${req.images.length} images in one solve\n`);
  const [result] = await runBuilds([job], {
    command: req.client.command,
    env: dockerEnv(io.env),
    cwd: io.cwd,
    concurrency: 1,
    signal,
    retry: retryDroppedFrontend(() => `the one solve of ${req.goal!}`, (text) => io.stderr(text)),
    onEvent: (event) => {
      // Every image is being built by this one solve; the export pass reports how each ended.
      if (event.kind === 'start') req.images.forEach((_, index) => progress.onEvent({ kind: 'start', index }));
      else if (event.kind === 'output') {
        if (FRONTEND_PAST_ITS_WORK.test(event.line)) stepsStarted();
        if (req.progress === 'plain') io.stderr(`[all] ${event.line}\n`);
      }
    },
  });
  stepsStarted();
  if (!result || signal.aborted) return;
  if (result.state === 'done') info(`modus build: all images built in ${seconds(result.seconds)}, in one solve\n`);
  else {
    const reason = oneSolveError(result.log);
    io.stderr(`modus build: the one-solve build failed after ${seconds(result.seconds)}${reason ? `: ${reason}` : ''}\n`);
    io.stderr('modus build: the per-image builds show which images fail\n');
  }
}

function pushBuiltSubImages(req: BuildImagesRequest, repo: string, results: readonly JobResult[], io: CliIO, signal: AbortSignal): Promise<boolean> {
  const goalImages = new Map(req.images.map((image, i) => [image.literal, results[i]!.imageId!]));
  return pushCache({ ...req, repo, logs: results.map((r) => r.log), goalImages, info: infoWriter(req.progress, io) }, io, signal);
}

/**
 * Tags every image (after all were built); an interrupt now waits for the few `docker tag`s to
 * end. `info` gets the tags applied to each image.
 */
export async function tagImages(
  req: { images: readonly ImageToBuild[]; command: string; info: (text: string) => void },
  results: readonly JobResult[],
  io: CliIO,
): Promise<{ ok: boolean; applied: string[][] }> {
  const work = req.images.flatMap((image, i) => image.tags.map((tag) => ({ image: i, id: results[i]!.imageId!, tag })));
  const outcomes = await Promise.all(work.map(({ id, tag }) => runDocker(req.command, ['tag', id, tag], io.env)));
  const applied: string[][] = req.images.map(() => []);
  let ok = true;
  outcomes.forEach((outcome, i) => {
    const { image, id, tag } = work[i]!;
    if (outcome.code === 0) applied[image]!.push(tag);
    else {
      ok = false;
      io.stderr(`modus build: docker tag ${id} ${tag} failed: ${outcome.stderr.trim()}\n`);
    }
  });
  for (const [i, image] of req.images.entries()) {
    if (applied[i]!.length > 0) req.info(`  ${image.literal} -> ${applied[i]!.join(', ')}\n`);
  }
  return { ok, applied };
}

export function reportJson(images: readonly ImageToBuild[], results: readonly JobResult[], tags: readonly string[][]): string {
  const report: ImageReport[] = images.map((image, i) => ({
    literal: image.literal,
    predicate: image.predicate,
    args: image.args,
    image_id: results[i]?.state === 'done' ? results[i]!.imageId! : null,
    tags: [...(tags[i] ?? [])],
  }));
  return JSON.stringify(report, null, 2) + '\n';
}
