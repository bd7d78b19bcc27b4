/**
 * `modus build [OPTIONS] CONTEXT GOAL`: solve GOAL locally, then build every solution as its own
 * image through the Modus frontend — one `docker build --target <literal>` per image, all at once
 * against the same daemon — tag them from templates and report them.
 */
import * as path from 'node:path';
import { formatOptions, optionValue, optionValues, parseArgs, UsageError, type OptionSpec, type ParsedArgs } from '../args';
import type { CliIO, CommandBody } from '../io';
import { didYouMean } from '../../diagnostics/suggest';
import { PROGRESS_MODES, type ProgressMode } from '../build/progress';
import { bakeImages } from '../build/bake-images';
import { buildImages, type ImageToBuild } from '../build/build-images';
import { inspectBuilder, type BuilderAnswer } from '../build/buildx';
import { clientCommand, DEFAULT_FRONTEND, detectClient, type BuildInputs, type SessionInputs } from '../build/docker';
import { frontendBuildArgs, solveLoadedGoal } from '../build/load';
import { formatPlatform } from '../../llb/platform';
import type { Platform } from '../../llb/types';
import { planTags } from '../build/tags';
import { BUDGET_OPTION, BUILD_ARG_OPTION, COST_OPTION, loadRequestedProgram, MODUSFILE_OPTION, platformsOption, readGoalRequest, type GoalRequest } from '../goal-request';

const OPTIONS: readonly OptionSpec[] = [
  MODUSFILE_OPTION,
  { name: 'json', description: 'print [{"literal", "predicate", "args", "image_id", "tags"}] on stdout' },
  { name: 'tag', alias: 't', value: true, repeatable: true, valueName: 'TEMPLATE', description: 'tag every image, e.g. \'app:{0}-{1}\' ({predicate}, {args}, {0}, {1}, ...; repeatable)' },
  { name: 'no-cache', description: 'build every step fresh (docker build --no-cache)' },
  { ...BUILD_ARG_OPTION, description: 'a fact build_arg("K", "V"), passed to every build (repeatable)' },
  { name: 'network', value: true, valueName: 'MODE', description: 'network of the run steps: default, none or host (docker build --network)' },
  { name: 'secret', value: true, repeatable: true, valueName: 'id=ID,src=FILE|env=VAR', description: 'a secret for ::mount_secret, passed to every build (docker build --secret; repeatable)' },
  { name: 'ssh', value: true, repeatable: true, valueName: 'default|ID=SOCKET', description: 'an SSH agent for ::mount_ssh, passed to every build (docker build --ssh; repeatable)' },
  { name: 'frontend', value: true, valueName: 'IMAGE', description: `the Modus frontend image (default: $MODUS_FRONTEND or ${DEFAULT_FRONTEND})` },
  { name: 'concurrency', alias: 'j', value: true, valueName: 'N', description: 'most per-image builds at a time (default: every image, at most 32)' },
  { name: 'docker', value: true, valueName: 'PATH', description: 'the docker client (default: $MODUS_DOCKER or docker)' },
  { name: 'builder', value: true, valueName: 'NAME', description: 'the buildx builder (default: the current one; needs buildx)' },
  { name: 'push', description: 'push every image under its tags once all are built (needs buildx and --tag)' },
  { name: 'load', description: 'load the images into the docker image store (the default unless --push; needs buildx)' },
  { name: 'platform', value: true, repeatable: true, valueName: 'P1,P2', description: 'target platforms, as docker buildx build --platform (needs buildx)' },
  { ...COST_OPTION, description: 'how a proof is chosen per solution (build arg MODUS_COST)' },
  { ...BUDGET_OPTION, description: 'most resolution steps the solver may take (build arg MODUS_BUDGET)' },
  { name: 'progress', value: true, valueName: PROGRESS_MODES.join('|'), description: 'auto: redrawn in place on a terminal; tty: always; plain: plain lines and the full BuildKit progress; quiet: only the image IDs, on stdout, and errors' },
  { name: 'verbose', alias: 'v', description: 'the same as --progress plain' },
  { name: 'quiet', alias: 'q', description: 'the same as --progress quiet (as docker build -q)' },
  { name: 'no-cache-filter', value: true, valueName: 'P1,P2', description: 'build fresh only the steps that come from these predicates (build arg MODUS_NO_CACHE_FILTER)' },
  { name: 'cache-repo', value: true, valueName: 'REPO', description: 'take sub-images from REPO:<content key> when there (build arg MODUS_CACHE_REPO)' },
  { name: 'push-cache', description: 'after a successful build, push every sub-image built (not taken from the cache repo) as REPO:<key>' },
  { name: 'explain-cache', description: 'tell, per step, whether it was reused or ran, and why (compared with the previous build)' },
];

const USAGE = `Usage: modus build [OPTIONS] CONTEXT GOAL

Solves GOAL (e.g. 'app(X, "release")') against the Modusfile (default CONTEXT/Modusfile) and
builds every solution as its own image through the Modus BuildKit frontend, all at once, so that
the steps they share run once. With buildx: one \`docker buildx bake\` of them all on the builder
(--builder, --push, --load, --platform as in \`docker buildx build\`); without it,
\`DOCKER_BUILDKIT=1 docker build\` per image. Progress on stderr; with --json, the images on
stdout; with -q (--progress quiet), only their IDs on stdout, one per line, and nothing but
errors on stderr. Exit 1 when any image fails (none are tagged then), 130 when interrupted.

Options:
${formatOptions(OPTIONS)}`;

/**
 * Every image at once, up to 32: with several images the per-image builds mostly wait for the one
 * solve's steps and then export, so more at a time only shortens the export tail
 * (docs/benchmarks.md, Multi-image builds).
 */
function defaultConcurrency(images: number): number {
  return Math.max(1, Math.min(images, 32));
}

interface BuildRequest extends GoalRequest {
  tags: string[];
  json: boolean;
  noCache: boolean;
  network?: string;
  session: SessionInputs;
  frontend: string;
  concurrency?: number;
  docker: string;
  progress: ProgressMode;
  explainCache: boolean;
  /** `--cache-repo` (or the build arg MODUS_CACHE_REPO), trimmed; absent when empty. */
  cacheRepo?: string;
  pushCache: boolean;
  builder?: string;
  push: boolean;
  load: boolean;
  /** `--platform`, each once, as BuildKit names them; empty: the builder's own. */
  platforms: Platform[];
}

function request(args: ParsedArgs, io: CliIO): BuildRequest {
  const goal = readGoalRequest('build', args, 'context-required');
  const buildArgs = { ...goal.buildArgs };
  const noCacheFilter = optionValue(args, 'no-cache-filter');
  if (noCacheFilter !== undefined) buildArgs.MODUS_NO_CACHE_FILTER = noCacheFilter;
  const cacheRepoOption = optionValue(args, 'cache-repo');
  if (cacheRepoOption !== undefined) buildArgs.MODUS_CACHE_REPO = cacheRepoOption;
  const cacheRepo = buildArgs.MODUS_CACHE_REPO?.trim() || undefined;
  if (args.flags.has('push-cache') && cacheRepo === undefined) throw new UsageError('--push-cache needs --cache-repo REPO');
  const network = optionValue(args, 'network');
  if (network !== undefined && !['default', 'none', 'host'].includes(network)) {
    throw new UsageError(`--network must be default, none or host, not \`${network}\``);
  }
  const concurrency = parseConcurrency(optionValue(args, 'concurrency'));
  const builder = optionValue(args, 'builder');
  const platforms = platformsOption(optionValues(args, 'platform'));
  if (args.flags.has('push') && optionValues(args, 'tag').length === 0) throw new UsageError('--push needs --tag TEMPLATE: the names to push the images under');
  const perImageOnly = ['explain-cache', 'push-cache'].filter((f) => args.flags.has(f));
  const bakeOnly = [...(builder === undefined ? [] : ['builder']), ...['push', 'load'].filter((f) => args.flags.has(f)), ...(platforms.length > 0 ? ['platform'] : [])];
  if (perImageOnly.length > 0 && bakeOnly.length > 0) throw new UsageError(`--${perImageOnly[0]} cannot be combined with --${bakeOnly[0]}`);
  return {
    ...goal,
    buildArgs,
    tags: optionValues(args, 'tag'),
    json: args.flags.has('json'),
    noCache: args.flags.has('no-cache'),
    ...(network === undefined ? {} : { network }),
    session: { secrets: optionValues(args, 'secret'), ssh: optionValues(args, 'ssh') },
    frontend: optionValue(args, 'frontend') ?? (io.env.MODUS_FRONTEND || DEFAULT_FRONTEND),
    ...(concurrency === undefined ? {} : { concurrency }),
    docker: clientCommand(optionValue(args, 'docker'), io.env),
    progress: parseProgress(optionValue(args, 'progress'), args.flags.has('verbose'), args.flags.has('quiet')),
    explainCache: args.flags.has('explain-cache'),
    ...(cacheRepo === undefined ? {} : { cacheRepo }),
    pushCache: args.flags.has('push-cache'),
    ...(builder === undefined ? {} : { builder }),
    push: args.flags.has('push'),
    load: args.flags.has('load'),
    platforms,
  };
}

/** The options only buildx can honour, as the user wrote them. */
function buildxOptions(req: BuildRequest): string[] {
  return [
    ...(req.builder === undefined ? [] : ['--builder']),
    ...(req.push ? ['--push'] : []),
    ...(req.load ? ['--load'] : []),
    ...(req.platforms.length > 0 ? ['--platform'] : []),
  ];
}

function parseProgress(value: string | undefined, verbose: boolean, quiet: boolean): ProgressMode {
  if (verbose && quiet) throw new UsageError('give -v or -q, not both');
  const implied = verbose ? 'plain' : quiet ? 'quiet' : undefined;
  if (value === undefined) return implied ?? 'auto';
  const mode = PROGRESS_MODES.find((m) => m === value);
  if (!mode) throw new UsageError(`--progress must be one of ${PROGRESS_MODES.join(', ')}, not \`${value}\`${didYouMean(value, PROGRESS_MODES)}`);
  if (implied !== undefined && mode !== implied) throw new UsageError(`-${verbose ? 'v' : 'q'} is --progress ${implied}; it cannot go with --progress ${mode}`);
  return mode;
}

function parseConcurrency(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9][0-9]{0,3}$/.test(value)) throw new UsageError(`--concurrency must be a whole number from 1 to 9999, not \`${value}\``);
  return Number(value);
}

/** Ctrl-C (and SIGTERM) abort the build instead of killing this process outright. */
function interruptSignal(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** The build with an interrupt source of the caller's choosing (tests abort it themselves). */
export async function runBuild(argv: readonly string[], io: CliIO, signal: AbortSignal): Promise<number> {
  const req = request(parseArgs(argv, OPTIONS), io);
  // The builder is asked about while the goal is solved: each takes a few hundred milliseconds.
  const [found, builder] = await Promise.all([solveImages(req, io), wantsBake(req, io.env) ? inspectBuilder(req.docker, req.builder, io.env) : undefined]);
  if (!found) return 1;
  const tagPlan = planTags(req.tags, found);
  if ('error' in tagPlan) throw new UsageError(tagPlan.error);
  const client = builder === undefined ? await detectClient(req.docker, io.env) : { command: req.docker, buildx: !('noBuildx' in builder) };
  const images = found.map((image, i) => ({ ...image, tags: tagPlan.tags[i]! }));
  const needBuildx = buildxOptions(req);
  if (!client.buildx && needBuildx.length > 0) {
    io.stderr(`modus build: ${needBuildx.join(', ')} need${needBuildx.length === 1 ? 's' : ''} docker buildx, and the docker client ${client.command} has no buildx plugin\n`);
    return 1;
  }
  if (builder !== undefined && !('noBuildx' in builder)) return bake(req, images, builder, io, signal);
  return buildImages(
    {
      images,
      goal: req.goal,
      client,
      ...buildInputs(req, io),
      concurrency: req.concurrency ?? defaultConcurrency(images.length),
      progress: req.progress,
      json: req.json,
      ...(req.explainCache ? { explainCache: path.resolve(io.cwd, req.modusfile) } : {}),
      ...(req.pushCache ? { pushCache: req.cacheRepo! } : {}),
    },
    io,
    signal,
  );
}

type FoundImage = Omit<ImageToBuild, 'tags'>;

/**
 * The goal's images, each solution once in the order found. With `--platform`, the goal is solved
 * once per platform (with that platform's automatic build args, as the frontend will) and an image
 * that solves on only some of them is built for those only.
 */
async function solveImages(req: BuildRequest, io: CliIO): Promise<FoundImage[] | undefined> {
  const program = loadRequestedProgram(req, io);
  if (!program) return undefined;
  if (req.platforms.length === 0) {
    const solved = await solveLoadedGoal(program, req, io, req.docker);
    return solved?.solutions.map((s) => ({ literal: s.text, predicate: s.predicate, args: s.args }));
  }
  const images = new Map<string, FoundImage & { platforms: string[] }>();
  for (const platform of req.platforms) {
    const name = formatPlatform(platform);
    const solved = await solveLoadedGoal(program, { ...req, command: `build --platform ${name}` }, io, req.docker, platform);
    if (!solved) return undefined;
    for (const s of solved.solutions) {
      const image = images.get(s.text) ?? { literal: s.text, predicate: s.predicate, args: s.args, platforms: [] };
      image.platforms.push(name);
      images.set(s.text, image);
    }
  }
  return [...images.values()].map(({ platforms, ...image }) => (platforms.length === req.platforms.length ? image : { ...image, platforms }));
}

/** What every build gets from the request, per-image builds and bake alike. */
function buildInputs(req: BuildRequest, io: CliIO): BuildInputs {
  return {
    context: path.resolve(io.cwd, req.context),
    file: path.resolve(io.cwd, req.modusfile),
    frontend: req.frontend,
    buildArgs: frontendBuildArgs(req),
    noCache: req.noCache,
    ...(req.network === undefined ? {} : { network: req.network }),
    session: req.session,
  };
}

/** Bake unless buildx is ruled out ($MODUS_BUILDX=0) or an option needs the per-image builds. */
function wantsBake(req: BuildRequest, env: CliIO['env']): boolean {
  return env.MODUS_BUILDX !== '0' && !req.explainCache && !req.pushCache;
}

/** Every image in one `docker buildx bake` on the builder, after checking that the builder answers. */
async function bake(req: BuildRequest, images: ImageToBuild[], answer: Exclude<BuilderAnswer, { noBuildx: true }>, io: CliIO, signal: AbortSignal): Promise<number> {
  if ('error' in answer) {
    io.stderr(`modus build: ${answer.error}\n`);
    return 1;
  }
  return bakeImages(
    {
      images,
      goal: req.goal,
      command: req.docker,
      builder: answer.builder,
      ...(req.builder === undefined ? {} : { builderOption: req.builder }),
      ...buildInputs(req, io),
      platforms: req.platforms.map(formatPlatform),
      load: req.load || !req.push,
      push: req.push,
      progress: req.progress,
      json: req.json,
    },
    io,
    signal,
  );
}

/** Loaded when the command runs (name and summary: `frontend/cli/main.ts`). */
export const buildCommand: CommandBody = {
  usage: USAGE,
  async run(argv, io) {
    const interrupt = interruptSignal();
    try {
      return await runBuild(argv, io, interrupt.signal);
    } finally {
      interrupt.dispose();
    }
  },
};

