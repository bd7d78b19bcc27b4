/**
 * The frontend's build: read the Modusfile, solve the goal, plan, resolve base images, generate
 * LLB, solve it through the gateway and return the image with its configuration. Every user
 * error ends as a FrontendError whose message names the Modusfile position.
 */
import { randomBytes } from 'node:crypto';
import type { Diagnostic, SourceFile, Span } from '../../grammar/source';
import { decodeSource } from '../../grammar/index';
import { hasErrors } from '../../grammar/source';
import { renderDiagnostics } from '../diagnostics/render';
import { cacheImports, FrontendError, type FrontendContext, type FrontendEnv, type GatewayClient, type ReturnResult, type SourceDetail } from '../gateway';
import { scratchConfig, setLabel, type ImageConfig } from '../imagegen/config';
import { parseDockerignore } from '../imagegen/dockerignore';
import { generateImages, type BaseImage, type GenerateOptions, type GeneratedImage } from '../imagegen/generate';
import { stepCacheKey } from '../caching/keys';
import { probeIdentity, probeJobs } from '../caching/probes';
import { runProbes } from './run-probes';
import { findSubstitutes, keyLiterals } from './find-substitutes';
import { ImageAvailability, solveWithAvailability, type ImageResolution } from '../caching/availability';
import { copy, local, marshal, normalizeImageRef, parseImageRef, scratch, SourceMapFile, type State } from '../llb';
import { platformBuildArgs } from '../llb/platform';
import type { Platform } from '../llb/types';
import { loadProgram, planSolutions, solveGoal, type LoadedProgram, type SolvedGoal } from '../pipeline';
import type { BuildPlan, PlanNode } from '../planner/plan';
import { namedContextFor, type NamedContext } from './named-contexts';
import { readBuildOptions, type BuildOptions } from './options';
import { buildPlatforms, canRun, cannotRunError, multiPlatformResult } from './platforms';
import { locateStepError, sessionMountsOf } from './step-error';
import { reportWarnings, type BuildWarning } from './warnings';

/** What the build reads before it needs the gateway's capabilities: its options and the Modusfile. */
export interface BuildInput {
  options: BuildOptions;
  bytes: Uint8Array;
  dockerignore?: Uint8Array;
}

/** Time the build spent waiting for BuildKit to solve its graph (`evaluate`), for the log. */
export interface BuildStats {
  solveMs: number;
}

/** Reads the options and the Modusfile; needs no capability, so it can run alongside the Ping. */
export async function readBuildInput(client: GatewayClient, env: FrontendEnv): Promise<BuildInput> {
  const options = readBuildOptions(env.opts);
  return { options, ...(await readModusfile(client, env.sessionId, options)) };
}

export async function buildImage(ctx: FrontendContext, input?: BuildInput, stats?: BuildStats): Promise<ReturnResult> {
  const { options, bytes, dockerignore } = input ?? (await readBuildInput(ctx.client, ctx.env));
  const platforms = buildPlatforms(options.platforms, ctx.workers);
  // A random nonce unless the build was given one (MODUS_BUILD_NONCE).
  const buildNonce = options.buildNonce ?? randomBytes(16).toString('hex');
  const program = loadOrFail(bytes, options.filename);
  const warningSource = { filename: options.filename, bytes, file: program.file, loadStep: modusfileSource(ctx.env.sessionId, options) };
  const checkWarnings = program.warnings.filter((d) => d.severity === 'warning').map((d) => ({ message: d.message, ...(d.span ? { span: d.span } : {}), ...(d.code ? { rule: d.code } : {}) }));
  const built = await Promise.all(
    platforms.map(async (platform, index) => {
      const forPlatform = { ...options, buildNonce, buildArgs: platformBuildArgs(platform, ctx.workers[0]?.platforms[0], options.buildArgs) };
      const available = options.cost === 'available' ? await solveWithImages(ctx, program, platform, forPlatform) : undefined;
      // One platform's warnings stand for all (the others' would repeat them).
      if (index === 0) await reportWarnings(ctx, [...checkWarnings, ...(available?.warnings ?? [])], warningSource);
      const plan = planGoal(program, forPlatform, bytes, available?.solved ?? solveBuildGoal(program, forPlatform));
      return buildForPlatform(ctx, { options: forPlatform, bytes, ...(dockerignore ? { dockerignore } : {}) }, program, plan, platform, stats);
    }),
  );
  if (options.platforms.length <= 1) return { ref: built[0]!.ref, metadata: { 'containerimage.config': built[0]!.config } };
  return multiPlatformResult(built.map((image, i) => ({ ...image, platform: platforms[i]! })));
}

/** The plan's image for one platform: bases resolved for it, LLB generated, solved. */
async function buildForPlatform(
  ctx: FrontendContext,
  input: BuildInput,
  program: LoadedProgram,
  plan: BuildPlan,
  platform: Platform,
  stats?: BuildStats,
): Promise<{ ref: string; config: string }> {
  const { options, bytes, dockerignore } = input;
  if (!canRun(platform, ctx.workers) && plan.nodes.some((n) => n.kind === 'run')) throw cannotRunError(platform, ctx.workers);
  const [bases, context] = await Promise.all([
    resolveBases(ctx, plan, platform, options, program.file, bytes),
    contextSource(ctx, plan, options, dockerignore),
  ]);
  const sourceMap = new SourceMapFile(options.filename, bytes, 'Modusfile');
  const generateOptions: GenerateOptions = {
    platform,
    network: options.network,
    noCache: options.noCache,
    exportOnly: options.exportOnly,
    context,
    bases,
    file: program.file,
    sourceMap,
    mergeOp: ctx.caps.llb.has('mergeop') && ctx.caps.llb.has('diffop'),
    ...(options.buildNonce === undefined ? {} : { buildNonce: options.buildNonce }),
  };
  const images = await withCacheControl(ctx, plan, generateOptions, options);
  const output = images[plan.outputs[0]!.node]!;
  const definition = marshalFor(output.fs, platform, ctx);
  const solveOutput = async (def: typeof definition) => {
    const started = performance.now();
    try {
      const evaluate = ctx.caps.has('gateway.solve.evaluate') && !options.exportOnly;
      return await ctx.client.solve({ definition: def, evaluate, cacheImports: cacheImportsOf(ctx) });
    } catch (err) {
      throw locateStepError(err, def, sessionMountsOf(plan, program.file, options.filename));
    } finally {
      if (stats) stats.solveMs += performance.now() - started;
    }
  };
  // MODUS_BUILD_ALL (used by `modus build`): one solve of every solution first, so that BuildKit
  // runs the union of their steps at once; then the first image is returned (its steps cached).
  if (options.buildAll && plan.outputs.length > 1) {
    await solveOutput(marshalFor(allOutputs(plan.outputs.map((o) => images[o.node]!.fs)), platform, ctx));
  }
  const solved = await solveOutput(definition);
  const config = options.labels.reduce<ImageConfig>((c, [k, v]) => setLabel(c, k, v), output.config);
  return { ref: solved.ref, config: JSON.stringify(config) };
}

/**
 * One state that depends on every output: a FileOp on scratch whose copies select nothing (an
 * empty wildcard), so solving it builds each output without copying a byte (BuildKit v0.8 has no
 * merge op, and this needs no binary in any image).
 */
function allOutputs(outputs: readonly State[]): State {
  const none = { allowWildcard: true, allowEmptyWildcard: true } as const;
  const [first, ...rest] = outputs.map((fs) => fs);
  let chain = copy(first!, '/.modus-build-all-none-*', '/', none);
  for (const fs of rest) chain = chain.copy(fs, '/.modus-build-all-none-*', '/', none);
  return scratch().file(chain, { customName: `[modus] build all ${outputs.length} images` });
}

function marshalFor(state: State, platform: Platform, ctx: FrontendContext): ReturnType<typeof marshal> {
  return marshal(state, { platform, llbCaps: ctx.caps.llb, encoding: ctx.caps.prefersCanonicalEncoding() ? 'canonical' : 'gogo' });
}

/**
 * LLB for the plan with every step's cache key complete: probes run first (on the images their
 * operands start from), then the steps are generated with their salts.
 */
async function withCacheControl(ctx: FrontendContext, plan: BuildPlan, generate: GenerateOptions, options: BuildOptions): Promise<GeneratedImage[]> {
  const answers = probeJobs(plan).length > 0 ? await runProbes(ctx, plan, generateImages(plan, generate), generate) : new Map();
  const inputs = { probeAnswers: answers, probeId: probeIdentity(plan), now: options.clock ?? Math.floor(Date.now() / 1000) };
  const keyed: GenerateOptions = { ...generate, cacheKeyOf: (node, cache) => stepCacheKey(cache, node, inputs) };
  const repo = options.cacheRepo;
  if (!repo) return generateImages(plan, keyed);
  const literals = await keyLiterals(ctx, plan, keyed, generate.platform);
  const substitutes = await findSubstitutes(ctx, plan, literals, { repo, platform: generate.platform });
  return generateImages(plan, { ...keyed, substitutes });
}


function cacheImportsOf(ctx: FrontendContext): { type: string; attrs: Record<string, string> }[] {
  return cacheImports(ctx.env.opts);
}

/** The step that loads the Modusfile (and its .dockerignore) from the client. */
function modusfileSource(sessionId: string, options: BuildOptions): State {
  return local(options.dockerfileLocal, {
    sessionId,
    followPaths: [options.filename, `${options.filename}.dockerignore`],
    sharedKeyHint: options.dockerfileLocal,
    customName: `load build definition from ${options.filename}`,
  });
}

async function readModusfile(client: GatewayClient, sessionId: string, options: BuildOptions): Promise<{ bytes: Uint8Array; dockerignore?: Uint8Array }> {
  const ignoreName = `${options.filename}.dockerignore`;
  const source = modusfileSource(sessionId, options);
  const { ref } = await client.solve({ definition: marshal(source) });
  // Both reads at once: one round trip less before the build can start.
  const [bytes, dockerignore] = await Promise.all([
    // One byte more than the limit tells a file at the limit from a larger one.
    client.readFile(ref, options.filename, { offset: 0, length: options.maxFileSize + 1 }).catch((err: unknown) => {
      throw new FrontendError(`cannot read the Modusfile \`${options.filename}\`: ${(err as Error).message}`);
    }),
    client.readFile(ref, ignoreName).catch(() => undefined),
  ]);
  if (bytes.length > options.maxFileSize) {
    throw new FrontendError(
      `cannot read the Modusfile \`${options.filename}\`: larger than ${options.maxFileSize} bytes (the limit; set the build arg MODUS_MAX_FILE_SIZE to raise it)`,
    );
  }
  return dockerignore ? { bytes, dockerignore } : { bytes };
}

function loadOrFail(bytes: Uint8Array, filename: string): LoadedProgram {
  const loaded = loadProgram(bytes, filename);
  if (loaded.program) return loaded.program;
  // The checks' diagnostics carry spans without a file: render them against the Modusfile.
  throw diagnosticsError(loaded.diagnostics, decodeSource(bytes, filename).file, bytes, filename);
}

function solveBuildGoal(program: LoadedProgram, options: BuildOptions, isAvailable?: (ref: string) => boolean | undefined): SolvedGoal {
  if (options.goal === undefined) throw new FrontendError(noGoalMessage(program));
  return solveGoal(program, options.goal, {
    cost: options.cost,
    ...(isAvailable ? { isAvailable } : {}),
    buildArgs: options.buildArgs,
    forBuild: true,
    ...(options.budget !== undefined ? { budget: options.budget } : {}),
  });
}

function planGoal(program: LoadedProgram, options: BuildOptions, bytes: Uint8Array, solved: SolvedGoal): BuildPlan {
  if (solved.solutions.length === 0) {
    const reasons = solved.diagnostics.length > 0 ? solved.diagnostics : [{ severity: 'error' as const, message: `no solution for ${options.goal}` }];
    throw diagnosticsError(reasons, program.file, bytes, options.filename, hasErrors(reasons) ? undefined : `goal \`${options.goal}\` has no solution`);
  }
  if (solved.solutions.length > 1 && !options.buildAll) {
    const list = solved.solutions.map((s) => `  ${s.text}`).join('\n');
    throw new FrontendError(
      `goal \`${options.goal}\` has ${solved.solutions.length} solutions; docker build makes one image:\n${list}\n` +
        'give a goal with one solution (e.g. --target \'' + solved.solutions[0]!.text + '\'), or build them all with `modus build`',
    );
  }
  const { plan, diagnostics } = planSolutions(solved.solutions);
  if (hasErrors(diagnostics)) throw diagnosticsError(diagnostics, program.file, bytes, options.filename);
  return plan;
}

/**
 * Cost `available`: every `from(...)` image the search meets, constant or computed, is resolved
 * through the gateway (Docker's default resolve mode looks in its local image store first, then
 * the registry). An image that cannot be resolved makes the proofs using it unavailable; the user
 * sees why in a warning (warnings.ts). A named context stands for the image it names: a directory
 * is there (the client sends it), a `docker-image://` context is as available as its image.
 */
async function solveWithImages(
  ctx: FrontendContext,
  program: LoadedProgram,
  platform: Platform,
  options: BuildOptions,
): Promise<{ solved: SolvedGoal; warnings: BuildWarning[] }> {
  const resolve = async (ref: string): Promise<{ digest?: string }> => {
    const named = namedContextFor(ref, options.namedContexts, platform, ctx.env.opts);
    if (named?.kind === 'local') return {};
    const image = named?.kind === 'image' ? named.ref : ref;
    return ctx.client.resolveImageConfig(normalizeImageRef(image), {
      platform,
      resolveMode: options.imageResolveMode,
      logName: named ? `[context ${named.name}] cost available: is ${image} there?` : `[modus] cost available: is ${ref} there?`,
    });
  };
  const availability = new ImageAvailability(resolve, options.resolveTimeoutMs === undefined ? {} : { timeoutMs: options.resolveTimeoutMs });
  const { result, resolutions } = await solveWithAvailability(availability, program.ir, (isAvailable) => solveBuildGoal(program, options, isAvailable));
  const warnings = resolutions.filter((r) => !r.available).map((missing) => unavailableWarning(missing, program));
  return { solved: result, warnings };
}

function unavailableWarning(missing: ImageResolution, program: LoadedProgram): BuildWarning {
  const message = `image ${missing.ref} is not available (${missing.reason ?? 'not found'}); proofs using it are not chosen`;
  const span = firstFromSpan(program, missing.ref);
  return span ? { message, span } : { message };
}

/** Where `from("ref")` is first written. */
function firstFromSpan(program: LoadedProgram, ref: string): Span | undefined {
  for (const clause of program.ir.clauses) {
    for (const literal of clause.body) {
      const arg = literal.args[0];
      if (literal.predicate === 'from' && arg?.kind === 'const' && arg.value === ref && literal.span) return literal.span;
    }
  }
  return undefined;
}

function noGoalMessage(program: LoadedProgram): string {
  const heads = program.ast.clauses.filter((c) => program.kinds.get(c.head.name) === 'Image').map((c) => c.head);
  const images = [...new Set(heads.map((h) => `${h.name}/${h.args.length}`))];
  const list = images.length > 0 ? `image predicates in the Modusfile: ${images.join(', ')}` : 'the Modusfile defines no image predicate';
  const example = heads.find((h) => h.args.length === 0)?.name ?? (heads[0] ? `${heads[0].name}(${heads[0].args.map(() => '"..."').join(', ')})` : 'app');
  return `no goal given: pass --target 'GOAL' (e.g. --target '${example}') or --build-arg MODUS_GOAL=GOAL; ${list}`;
}

/** Diagnostics as one user error: every diagnostic rendered, the first error's line as the source detail. */
function diagnosticsError(diagnostics: readonly Diagnostic[], file: SourceFile | undefined, bytes: Uint8Array, filename: string, headline?: string): FrontendError {
  const text = renderDiagnostics(diagnostics, file);
  const first = diagnostics.find((d) => d.severity === 'error' && d.span && !d.span.file) ?? diagnostics.find((d) => d.span && !d.span.file);
  const sourceFile = first?.file ?? file;
  let detail: SourceDetail | undefined;
  if (first?.span && sourceFile && sourceFile.name === filename) {
    const start = sourceFile.position(first.span.start);
    const end = sourceFile.position(first.span.end);
    detail = { filename, data: bytes, ranges: [{ start: { line: start.line, character: start.column - 1 }, end: { line: end.line, character: end.column - 1 } }] };
  }
  return new FrontendError(headline ? `${headline}\n${text}` : text, detail);
}


async function resolveBases(
  ctx: FrontendContext,
  plan: BuildPlan,
  platform: Platform,
  options: BuildOptions,
  file: SourceFile,
  bytes: Uint8Array,
): Promise<Map<string, BaseImage>> {
  const froms = new Map<string, Extract<PlanNode, { kind: 'from' }>>();
  for (const node of plan.nodes) if (node.kind === 'from' && !froms.has(node.ref)) froms.set(node.ref, node);
  const entries = await Promise.all(
    [...froms.values()].map(async (node): Promise<[string, BaseImage]> => {
      const positioned = (message: string) =>
        diagnosticsError([{ severity: 'error', message, ...(node.origin.span ? { span: node.origin.span } : {}) }], file, bytes, options.filename);
      let named;
      try {
        named = namedContextFor(node.ref, options.namedContexts, platform, ctx.env.opts);
      } catch (err) {
        throw positioned((err as Error).message);
      }
      if (named?.kind === 'local') return [node.ref, localContextBase(ctx, named, platform)];
      const ref = named?.kind === 'image' ? named.ref : node.ref;
      const what = named ? `image \`${ref}\` of the named context \`${named.name}\`` : `base image \`${ref}\``;
      const parsed = parseImageRef(ref);
      if (!parsed) throw positioned(`invalid image reference \`${ref}\`${named ? ` in the named context \`${named.name}\`` : ''}`);
      const name = normalizeImageRef(ref);
      try {
        const logName = named ? `[context ${named.name}] resolve image ${ref}` : `[modus] resolve image ${ref}`;
        const resolved = await ctx.client.resolveImageConfig(name, { platform, resolveMode: options.imageResolveMode, logName });
        const config = JSON.parse(Buffer.from(resolved.config).toString('utf8')) as ImageConfig;
        const pinned = resolved.digest && !parsed.digest ? `${name}@${resolved.digest}` : name;
        return [node.ref, { ref: pinned, config }];
      } catch (err) {
        throw positioned(`cannot resolve ${what}: ${(err as Error).message}`);
      }
    }),
  );
  return new Map(entries);
}

/** A directory named context: its files as an image on scratch (no configuration but the platform's). */
function localContextBase(ctx: FrontendContext, named: Extract<NamedContext, { kind: 'local' }>, platform: Platform): BaseImage {
  const fs = local(named.localName, {
    sessionId: ctx.env.sessionId,
    sharedKeyHint: `context:${named.name}-${named.sharedKey}`,
    customName: `[context ${named.name}] load from client`,
  });
  return { ref: `context:${named.name}`, config: scratchConfig(platform), fs };
}

async function contextSource(ctx: FrontendContext, plan: BuildPlan, options: BuildOptions, dockerignore: Uint8Array | undefined): Promise<State> {
  const readsContext = plan.nodes.some((n) => n.kind === 'copyLocal' || (n.kind === 'merge' && n.operations.some((o) => o.kind === 'copyLocal')));
  const excludes = readsContext ? parseDockerignore(Buffer.from(dockerignore ?? (await readContextDockerignore(ctx, options)) ?? []).toString('utf8')) : [];
  return local(options.contextLocal, {
    sessionId: ctx.env.sessionId,
    sharedKeyHint: options.contextLocal,
    excludePatterns: excludes,
    customName: '[modus] load build context',
  });
}

async function readContextDockerignore(ctx: FrontendContext, options: BuildOptions): Promise<Uint8Array | undefined> {
  const source = local(options.contextLocal, {
    sessionId: ctx.env.sessionId,
    followPaths: ['.dockerignore'],
    sharedKeyHint: `${options.contextLocal}-.dockerignore`,
    customName: '[modus] load .dockerignore',
  });
  const { ref } = await ctx.client.solve({ definition: marshal(source) });
  return ctx.client.readFile(ref, '.dockerignore').catch(() => undefined);
}
