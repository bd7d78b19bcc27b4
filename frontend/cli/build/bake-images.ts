/**
 * `modus build` on a docker client with buildx: every image of the goal in one `docker buildx
 * bake` (one session: BuildKit solves the steps the images share once), on the chosen builder.
 * The bake has no tags, so nothing is named before every image is built; then the images are
 * tagged locally (`--load`, the default) and/or a second bake, all from the cache, pushes them
 * under their tags (`--push`).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CliIO } from '../io';
import { bakeFile, bakeJson, bakeTargetNames, oneSolveBake, type BakeRequest } from './bake-file';
import { bakeArguments, bakeError, bakeFailures, CACHE_ONLY_OUTPUT, imageIdCandidates, localImageIds, type Builder } from './buildx';
import { dockerEnv, runDocker, type BuildInputs } from './docker';
import { BuildProgress, infoWriter, printQuietIds, progressOptions, seconds, type ProgressMode } from './progress';
import { retryDroppedFrontend, runBuilds, type JobResult } from './runner';
import { INTERRUPTED_EXIT_CODE, reportJson, tagImages, withSharedArgs, type ImageToBuild } from './build-images';

interface BakeImagesRequest extends BuildInputs {
  images: ImageToBuild[];
  /** The goal as the user wrote it: with several images it is also baked whole, in one solve, first. */
  goal?: string;
  command: string;
  builder: Builder;
  /** `--builder NAME` as given (the current builder when absent). */
  builderOption?: string;
  platforms: string[];
  load: boolean;
  push: boolean;
  progress: ProgressMode;
  json: boolean;
}

type BakeOutcome = { ok: true; metadata: Record<string, unknown>; seconds: number } | { ok: false; result: JobResult };

export async function bakeImages(req: BakeImagesRequest, io: CliIO, signal: AbortSignal): Promise<number> {
  const began = performance.now();
  const scratchDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modus-bake-'));
  try {
    const names = bakeTargetNames(req.images);
    const setting: Omit<BakeRequest, 'images'> = {
      // Bake runs in the context (below): paths outside its working directory need entitlements.
      context: '.',
      dockerfile: bakeDockerfile(req),
      frontend: req.frontend,
      buildArgs: withSharedArgs(req.buildArgs),
      noCache: req.noCache,
      ...(req.network === undefined ? {} : { network: req.network }),
      ...(req.session === undefined ? {} : { secrets: req.session.secrets, ssh: req.session.ssh }),
      platforms: req.platforms,
    };
    const count = `${req.images.length} image${req.images.length === 1 ? '' : 's'}`;
    const info = infoWriter(req.progress, io);
    info(`modus build: ${count} in one ${req.command} buildx bake on builder ${req.builder.name} (driver ${req.builder.driver || 'unknown'}) with ${req.frontend}\n`);
    const progress = new BuildProgress(
      req.images.map((i) => i.literal),
      { ...progressOptions(req.progress, io), verbose: false },
    );
    progress.begin(req.images.length);
    req.images.forEach((_, index) => progress.onEvent({ kind: 'start', index }));
    // Untagged: a failing target leaves no name behind. Without --load, the results stay in the
    // build cache for the pushing bake.
    const build = await runBuildingBake(
      bakeFile({ ...setting, images: untagged(req.images), ...(req.load ? {} : { outputs: [CACHE_ONLY_OUTPUT] }) }),
      { load: req.load, push: false },
      req,
      scratchDir,
      io,
      signal,
    );
    const ids = build.ok && req.load ? await loadedImageIds(req, names, build.metadata, io) : req.images.map(() => undefined);
    const results = req.images.map((_, i): JobResult => imageResult(build, names[i]!, ids[i]));
    results.forEach((result, index) => progress.onEvent({ kind: 'end', index, result }));
    progress.end();
    if (signal.aborted) {
      io.stderr('modus build: interrupted; the bake was stopped, nothing was tagged\n');
      return INTERRUPTED_EXIT_CODE;
    }
    if (!build.ok) return reportFailedBake(req, names, build.result, results, began, io);
    const missing = req.load ? req.images.filter((_, i) => ids[i] === undefined) : [];
    if (missing.length > 0) {
      io.stderr(`modus build: the bake loaded no image for ${missing.map((m) => m.literal).join(', ')}; nothing was tagged\n`);
      return 1;
    }
    const pushed = req.push ? await pushImages(req, names, setting, scratchDir, io, signal) : undefined;
    if (pushed && 'error' in pushed) {
      io.stderr(`${pushed.error}\n`);
      return 1;
    }
    const tagging = req.load ? await tagImages({ images: req.images, command: req.command, info }, results, io) : { ok: true, applied: req.images.map((i) => [...i.tags]) };
    const reported = results.map((r, i) => ({ ...r, ...(r.imageId === undefined && pushed ? { imageId: pushed.digests[i] } : {}) }));
    if (req.json) io.stdout(reportJson(req.images, reported, tagging.applied));
    if (!tagging.ok) return 1;
    printQuietIds(req.progress, req.json, reported.map((r) => r.imageId), io);
    info(`modus build: ${count} built${req.push ? ' and pushed' : ''} in ${seconds((performance.now() - began) / 1000)}\n`);
    return 0;
  } finally {
    fs.rmSync(scratchDir, { recursive: true, force: true });
  }
}

/** The Modusfile as bake reads it from the context: relative inside it, absolute outside. */
function bakeDockerfile(req: BakeImagesRequest): string {
  return outsideContext(req) ? req.file : path.relative(req.context, req.file).split(path.sep).join('/');
}

function outsideContext(req: BakeImagesRequest): boolean {
  const relative = path.relative(req.context, req.file);
  return relative.startsWith('..') || path.isAbsolute(relative);
}

function untagged(images: readonly ImageToBuild[]): ImageToBuild[] {
  return images.map((image) => ({ ...image, tags: [] }));
}

type BakeFile = ReturnType<typeof bakeFile>;
type BakeOutput = { load: boolean; push: boolean };

/**
 * A Modusfile step in a bake's progress (`#5 [target] common › run(…) Modusfile:1:9`): that
 * target's frontend is past its own work and BuildKit has its graph.
 */
const FRONTEND_PAST_ITS_WORK = /^#\d+ .* › /;

const NOT_STARTED: BakeOutcome = { ok: false, result: { state: 'cancelled', seconds: 0, log: '' } };

/**
 * The bake that builds the images. With several images (and no --platform), a bake of the whole
 * goal in one solve goes first (MODUS_BUILD_ALL, into the build cache only), and the bake of the
 * images starts once its frontend is past its own work (its progress shows a Modusfile step) or
 * it has ended: bake starts one frontend container per target, and twenty starting at once on a
 * small machine delayed the first step by seconds, while one frontend alone gets there at once.
 * The images' builds join the one solve's steps (BuildKit solves an identical step once across
 * builds), a step that ignores the cache included: the one solve holds it until every image's
 * steps are built. The images' bake tells which images fail; if it fails, the one solve is stopped.
 */
async function runBuildingBake(file: BakeFile, output: BakeOutput, req: BakeImagesRequest, scratchDir: string, io: CliIO, signal: AbortSignal): Promise<BakeOutcome> {
  if (req.goal === undefined || req.images.length < 2 || req.platforms.length > 0) return runBake('build', file, output, req, scratchDir, io, signal);
  const stop = new AbortController();
  const stopOneSolve = () => stop.abort();
  signal.addEventListener('abort', stopOneSolve, { once: true });
  try {
    let pastFrontend = () => {};
    const stepsStarted = new Promise<void>((resolve) => (pastFrontend = resolve));
    const onLine = (line: string) => {
      if (FRONTEND_PAST_ITS_WORK.test(line)) pastFrontend();
    };
    const oneSolve = runBake('build-all', oneSolveBake(file, req.goal), { load: false, push: false }, req, scratchDir, io, stop.signal, onLine).finally(pastFrontend);
    const images = await stepsStarted.then(() => (signal.aborted ? NOT_STARTED : runBake('build', file, output, req, scratchDir, io, signal)));
    if (!images.ok) stopOneSolve();
    await oneSolve;
    return images;
  } finally {
    signal.removeEventListener('abort', stopOneSolve);
  }
}

/** Writes the bake file and runs one `docker buildx bake` of it; its metadata when it succeeds. */
async function runBake(
  phase: string,
  file: BakeFile,
  output: BakeOutput,
  req: BakeImagesRequest,
  scratchDir: string,
  io: CliIO,
  signal: AbortSignal,
  onLine: (line: string) => void = () => {},
): Promise<BakeOutcome> {
  const bakePath = path.join(scratchDir, `${phase}.json`);
  const metadataFile = path.join(scratchDir, `${phase}-metadata.json`);
  fs.writeFileSync(bakePath, bakeJson(file));
  const args = bakeArguments({
    file: bakePath,
    metadataFile,
    ...(req.builderOption === undefined ? {} : { builder: req.builderOption }),
    ...(outsideContext(req) ? { allowRead: path.dirname(req.file) } : {}),
    ...output,
  });
  const [result] = await runBuilds([{ literal: phase, args }], {
    command: req.command,
    // Without buildx's default provenance attestation (it records the session's IDs), an
    // unchanged rebuild gives the same image ID, as \`docker build\` does. The metadata file
    // needs no provenance either (only the image digests are read): buildx would otherwise
    // fetch it from the build history of every target after the bake.
    env: { BUILDX_NO_DEFAULT_ATTESTATIONS: '1', BUILDX_METADATA_PROVENANCE: 'disabled', ...dockerEnv(io.env) },
    cwd: req.context,
    concurrency: 1,
    signal,
    retry: retryDroppedFrontend(() => `the ${phase} bake`, (text) => io.stderr(text)),
    onEvent: (event) => {
      if (event.kind !== 'output') return;
      onLine(event.line);
      if (req.progress === 'plain') io.stderr(`[${phase}] ${event.line}\n`);
    },
  });
  if (result!.state !== 'done') return { ok: false, result: result! };
  return { ok: true, metadata: readMetadata(metadataFile), seconds: result!.seconds };
}

function readMetadata(file: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function imageResult(build: BakeOutcome, name: string, imageId: string | undefined): JobResult {
  if (!build.ok) {
    const failed = bakeFailures(build.result.log).some((f) => f.target === name);
    return { state: build.result.state === 'cancelled' ? 'cancelled' : failed ? 'failed' : 'cancelled', seconds: build.result.seconds, log: '' };
  }
  return { state: 'done', seconds: build.seconds, log: '', ...(imageId === undefined ? {} : { imageId }) };
}

/**
 * The local image ID of each target. Which of its metadata's digests that is depends only on the
 * image store (the config digest in Docker's classic store, the manifest or index digest with the
 * containerd store), so one `docker image inspect` of the first target's digests tells it for
 * all: inspecting every image costs tens of milliseconds each with the containerd store.
 */
async function loadedImageIds(req: BakeImagesRequest, names: readonly string[], metadata: Record<string, unknown>, io: CliIO): Promise<(string | undefined)[]> {
  const sample = names.find((name) => imageIdCandidates(metadata[name]).length > 0);
  if (sample === undefined) return names.map(() => undefined);
  const inspected = await runDocker(req.command, ['image', 'inspect', '--format', '{{.Id}}', ...imageIdCandidates(metadata[sample])], io.env);
  const known = new Set(inspected.stdout.split('\n').map((l) => l.trim()));
  return localImageIds(metadata, names, sample, known);
}

/** Which of `tags` name an image in the local store now. */
async function localTags(command: string, tags: readonly string[], io: CliIO): Promise<Set<string>> {
  const found = await Promise.all(tags.map(async (tag) => ((await runDocker(command, ['image', 'inspect', '--format', '{{.Id}}', tag], io.env)).code === 0 ? [tag] : [])));
  return new Set(found.flat());
}

function reportFailedBake(req: BakeImagesRequest, names: readonly string[], result: JobResult, results: readonly JobResult[], began: number, io: CliIO): number {
  const elapsed = seconds((performance.now() - began) / 1000);
  const failures = bakeFailures(result.log);
  for (const failure of failures) {
    const literal = req.images[names.indexOf(failure.target)]?.literal ?? failure.target;
    io.stderr(`modus build: ${literal} failed: ${failure.message}\n`);
  }
  if (failures.length === 0) {
    const reason = result.reason ?? bakeError(result.log) ?? `docker buildx bake exited with ${result.exitCode ?? 'an error'}`;
    io.stderr(`modus build: the bake failed after ${elapsed}: ${reason}\n`);
  } else {
    const failed = results.filter((r) => r.state === 'failed').length;
    io.stderr(`modus build: ${failed} of ${req.images.length} images failed after ${elapsed}; the bake stopped the others, nothing was tagged\n`);
  }
  if (req.json) io.stdout(reportJson(req.images, results.map((r) => ({ ...r, state: 'failed' as const })), req.images.map(() => [])));
  return 1;
}

/**
 * A second bake with the tags and `--push`: every step comes from the build cache of the first,
 * so only the export and the push are left. So that a step that ignores the cache (`--no-cache`,
 * `::no_cache`) is not run again with other bytes than the images just built, this bake neither
 * asks for no-cache nor lets a step ignore the cache (MODUS_EXPORT_ONLY): the first bake's fresh
 * results are its steps. The pushed digests, or an error naming what the registry refused.
 */
async function pushImages(
  req: BakeImagesRequest,
  names: readonly string[],
  setting: Omit<BakeRequest, 'images'>,
  scratchDir: string,
  io: CliIO,
  signal: AbortSignal,
): Promise<{ digests: (string | undefined)[] } | { error: string }> {
  const allTags = req.images.flatMap((i) => i.tags);
  infoWriter(req.progress, io)(`modus build: pushing ${allTags.join(', ')}\n`);
  const localBefore = await localTags(req.command, allTags, io);
  const fromFirstBake = { ...setting, noCache: false, buildArgs: { ...setting.buildArgs, MODUS_EXPORT_ONLY: '1' } };
  const pushed = await runBake('push', bakeFile({ ...fromFirstBake, images: req.images }), { load: false, push: true }, req, scratchDir, io, signal);
  if (pushed.ok) return { digests: names.map((name) => imageIdCandidates(pushed.metadata[name]).at(-1)) };
  // The docker driver names the images in the local store as it pushes them: take back the
  // names this failed push gave, so that nothing stays tagged half-way.
  const added = allTags.filter((tag) => !localBefore.has(tag));
  if (added.length > 0) await runDocker(req.command, ['image', 'rm', ...added], io.env);
  const failure = bakeFailures(pushed.result.log)[0];
  const image = failure ? req.images[names.indexOf(failure.target)] : undefined;
  const what = image ? `${image.tags.join(', ')} (${image.literal})` : 'the images';
  const why = failure?.message ?? pushed.result.reason ?? bakeError(pushed.result.log) ?? 'docker buildx bake --push failed';
  return { error: `modus build: pushing ${what} failed: ${why}` };
}
