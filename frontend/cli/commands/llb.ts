/**
 * `modus llb [OPTIONS] [CONTEXT] GOAL`: print, as deterministic JSON, the LLB definition the
 * frontend would send for each image of GOAL (ops with digests and metadata, image configs),
 * for debugging and for diffing two versions of a Modusfile. Made offline: base images come from
 * the local image store when a daemon answers (else unresolved: unpinned, empty configuration),
 * the context source has no session, probes have no answers.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatPlatform } from '../../llb/platform';
import { parseClock, stepCacheKey } from '../../caching/keys';
import { probeIdentity, probeJobs } from '../../caching/probes';
import { scratchConfig } from '../../imagegen/config';
import { parseDockerignore } from '../../imagegen/dockerignore';
import { generateImages, type BaseImage } from '../../imagegen/generate';
import { local, marshal, normalizeImageRef, type Platform } from '../../llb';
import type { BuildPlan } from '../../planner/plan';
import { formatOptions, optionValue, parseArgs, UsageError, type OptionSpec, type ParsedArgs } from '../args';
import type { CliIO, CommandBody } from '../io';
import { baseRefs, inspectBases, type InspectedBase } from '../build/bases';
import { clientCommand } from '../build/docker';
import { llbDump } from '../build/llb-json';
import { planOrReport, solveBuildGoal } from '../build/load';
import { GOAL_OPTIONS, hostPlatform, platformsOption, readGoalRequest, type GoalRequest } from '../goal-request';

const OPTIONS: readonly OptionSpec[] = [
  ...GOAL_OPTIONS,
  { name: 'platform', value: true, valueName: 'OS/ARCH', description: 'target platform (default: this machine\'s, e.g. linux/amd64 on x86-64)' },
  { name: 'encoding', value: true, valueName: 'gogo|canonical', description: 'op encoding: BuildKit <= 0.16 (gogo, default) or >= 0.17 (canonical)' },
  { name: 'no-cache', description: 'mark every step ignore-cache, as docker build --no-cache does' },
  { name: 'network', value: true, valueName: 'MODE', description: 'network of the run steps: default, none or host' },
  { name: 'offline', description: 'do not ask the docker daemon for base image configurations' },
  { name: 'docker', value: true, valueName: 'PATH', description: 'the docker client (default: $MODUS_DOCKER or docker)' },
];

const USAGE = `Usage: modus llb [OPTIONS] [CONTEXT] GOAL

Prints the LLB definition the Modus frontend would send for each image of GOAL, as one JSON
object: "ops" (every op once, by digest: the decoded op and its metadata), "images" (per image:
its op digests, the terminal one last, and its image configuration), "bases" (how each base image
was resolved) and "notes". Deterministic: diff the output of two versions of a Modusfile.

Options:
${formatOptions(OPTIONS)}`;

interface LlbRequest extends GoalRequest {
  platform: Platform;
  encoding: 'gogo' | 'canonical';
  noCache: boolean;
  network: 'sandbox' | 'none' | 'host';
  offline: boolean;
  docker: string;
}

function request(args: ParsedArgs, io: CliIO): LlbRequest {
  const encoding = optionValue(args, 'encoding') ?? 'gogo';
  if (encoding !== 'gogo' && encoding !== 'canonical') throw new UsageError(`--encoding must be gogo or canonical, not \`${encoding}\``);
  const network = optionValue(args, 'network') ?? 'default';
  if (!['default', 'none', 'host'].includes(network)) throw new UsageError(`--network must be default, none or host, not \`${network}\``);
  return {
    ...readGoalRequest('llb', args, 'context-optional'),
    platform: platformOption(optionValue(args, 'platform')),
    encoding,
    noCache: args.flags.has('no-cache'),
    network: network === 'default' ? 'sandbox' : (network as 'none' | 'host'),
    offline: args.flags.has('offline'),
    docker: clientCommand(optionValue(args, 'docker'), io.env),
  };
}

/** One platform, this machine's when none is given. */
function platformOption(value: string | undefined): Platform {
  if (value === undefined) return hostPlatform();
  const platforms = platformsOption([value]);
  if (platforms.length > 1) throw new UsageError(`--platform: several platforms (${platforms.map(formatPlatform).join(', ')}) were given; one is expected here`);
  return platforms[0]!;
}

async function runLlb(argv: readonly string[], io: CliIO): Promise<number> {
  const req = request(parseArgs(argv, OPTIONS), io);
  const solved = await solveBuildGoal(req, io, req.offline ? undefined : req.docker, req.platform);
  if (!solved) return 1;
  const plan = planOrReport(solved, io);
  if (!plan) return 1;
  const inspected = req.offline ? new Map<string, InspectedBase>() : await inspectBases(req.docker, baseRefs(plan), io.env);
  const notes: string[] = [
    'the context source has no session id here (the frontend adds the build session); its digest differs from a real build',
  ];
  const bases = new Map<string, BaseImage>();
  const basesReport: Record<string, { ref: string; config: string }> = {};
  for (const ref of baseRefs(plan)) {
    const found = inspected.get(ref);
    const pinned = found?.repoDigest ?? normalizeImageRef(ref);
    bases.set(ref, { ref: pinned, config: found ? found.config : scratchConfig(req.platform) });
    basesReport[ref] = { ref: pinned, config: found ? `local image ${found.id}` : 'unresolved: empty configuration, reference unpinned' };
  }
  if (plan.nodes.some((n) => 'cache' in n && n.cache.probes.length > 0)) notes.push('cache_probe answers are not run here: their salts use the placeholder answer "unresolved"');
  const images = generateImages(plan, {
    platform: req.platform,
    network: req.network,
    noCache: { all: req.noCache, predicates: [] },
    context: contextSource(plan, req, io),
    bases,
    file: solved.program.file,
    cacheKeyOf: cacheKeys(plan, req),
    buildNonce: req.buildArgs.MODUS_BUILD_NONCE || LLB_NONCE,
  });
  if (!req.buildArgs.MODUS_BUILD_NONCE && keepsCacheMounts(plan, req.noCache)) {
    notes.push(`steps that run again with a cache mount get a nonce of their build in their key; here the fixed "${LLB_NONCE}" (set one with --build-arg MODUS_BUILD_NONCE=...)`);
  }
  const dump = llbDump(
    plan.outputs.map((output) => ({
      literal: output.literal,
      definition: marshal(images[output.node]!.fs, { platform: req.platform, encoding: req.encoding }),
      config: images[output.node]!.config,
    })),
  );
  const report = {
    goal: req.goal.trim(),
    platform: formatPlatform(req.platform),
    encoding: req.encoding,
    bases: basesReport,
    notes,
    images: dump.images,
    ops: dump.ops,
  };
  io.stdout(JSON.stringify(report, null, 2) + '\n');
  return 0;
}

/** The nonce of `modus llb` (a build makes a random one): fixed, so that the output can be diffed. */
const LLB_NONCE = 'modus-llb';

/** Whether a step that runs again has a cache mount (and so the nonce in its key). */
function keepsCacheMounts(plan: BuildPlan, noCache: boolean): boolean {
  return plan.nodes.some((n) => {
    const runs = n.kind === 'run' ? [n] : n.kind === 'merge' ? n.operations : [];
    return 'cache' in n && (noCache || n.cache.noCache) && runs.some((r) => r.kind === 'run' && (r.mounts ?? []).some((m) => m.kind === 'cache'));
  });
}

/** The context as the frontend names it, with the .dockerignore excludes, without a session. */
function contextSource(plan: BuildPlan, req: LlbRequest, io: CliIO) {
  const readsContext = plan.nodes.some((n) => n.kind === 'copyLocal' || (n.kind === 'merge' && n.operations.some((o) => o.kind === 'copyLocal')));
  const contextDir = path.resolve(io.cwd, req.context);
  const ignoreFile = [`${path.resolve(io.cwd, req.modusfile)}.dockerignore`, path.join(contextDir, '.dockerignore')].find((f) => fs.existsSync(f));
  const excludes = readsContext && ignoreFile ? parseDockerignore(fs.readFileSync(ignoreFile, 'utf8')) : [];
  return local('context', { sharedKeyHint: 'context', excludePatterns: excludes, customName: '[modus] load build context' });
}

function cacheKeys(plan: BuildPlan, req: LlbRequest) {
  const answers = new Map(probeJobs(plan).map((job) => [job.id, { digest: 'unresolved', short: 'unresolved' }] as const));
  const clock = parseClock(req.buildArgs.MODUS_CLOCK);
  if (typeof clock === 'object') throw new UsageError(clock.error);
  const now = clock ?? Math.floor(Date.now() / 1000);
  const inputs = { probeAnswers: answers, probeId: probeIdentity(plan), now };
  return (node: number, cache: Parameters<typeof stepCacheKey>[0]) => stepCacheKey(cache, node, inputs);
}

/** Loaded when the command runs (name and summary: `frontend/cli/main.ts`). */
export const llbCommand: CommandBody = {
  usage: USAGE,
  run: runLlb,
};
