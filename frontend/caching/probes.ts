/**
 * Running `::cache_probe(CMD)` commands: each runs fresh (never cached) on the image its operand
 * starts from, with that image's user, env and working directory and the build's network; its
 * standard output is read back and becomes part of the keys of the operand's steps. The probe is
 * never an input of those steps: only the digest of its answer is.
 */
import { renderDiagnostics } from '../diagnostics/render';
import { FrontendError, type FrontendContext } from '../gateway';
import { runState, type GenerateOptions, type GeneratedImage } from '../imagegen/generate';
import { stepName } from '../imagegen/generate';
import { marshal, scratch } from '../llb';
import type { BuildPlan, CacheControl, NodeId, PlanNode } from '../planner/plan';
import { probeAnswer, probeId, type ProbeAnswer } from './keys';

const ANSWER_DIR = '/.modus-probe';

/** The node whose image a probe runs on: the planner's `base`, else the root image of the step. */
export function probeBase(plan: BuildPlan): (probe: CacheControl['probes'][number], step: NodeId) => NodeId {
  return (probe, step) => probe.base ?? rootImage(plan, step);
}

function rootImage(plan: BuildPlan, node: NodeId): NodeId {
  let current: PlanNode = plan.nodes[node]!;
  let id = node;
  while ('parent' in current) {
    id = current.parent;
    current = plan.nodes[id]!;
  }
  return id;
}

interface ProbeJob {
  id: string;
  command: string;
  base: NodeId;
  origin: CacheControl['probes'][number]['origin'];
  /** The working directory and extra env of the operand's first step (its in_workdir/in_env). */
  cwd: string;
  env: [string, string][];
}

type Probe = CacheControl['probes'][number];
type RunContext = { cwd: string; env: [string, string][] };

/**
 * The probeId of each probe of each step: same command, base image, working directory and env
 * (those of its operand's first step) is one run; a difference in any of them is another run.
 */
export function probeIdentity(plan: BuildPlan): (probe: Probe, step: NodeId) => string {
  const baseOf = probeBase(plan);
  const contexts = new Map<Probe, RunContext>();
  for (const node of plan.nodes) {
    if (!('cache' in node)) continue;
    for (const probe of node.cache.probes) if (!contexts.has(probe)) contexts.set(probe, runContext(node));
  }
  return (probe, step) => {
    const { cwd, env } = contexts.get(probe) ?? { cwd: '', env: [] };
    return probeId(probe.command, baseOf(probe, step), cwd, env);
  };
}

/** Every distinct probe of the plan (see probeIdentity: one run each). */
export function probeJobs(plan: BuildPlan): ProbeJob[] {
  const baseOf = probeBase(plan);
  const idOf = probeIdentity(plan);
  const jobs = new Map<string, ProbeJob>();
  plan.nodes.forEach((node, step) => {
    if (!('cache' in node)) return;
    for (const probe of node.cache.probes) {
      const id = idOf(probe, step);
      if (!jobs.has(id)) jobs.set(id, { id, command: probe.command, base: baseOf(probe, step), origin: probe.origin, ...runContext(node) });
    }
  });
  return [...jobs.values()];
}

/**
 * Nodes come in topological order, so the first node carrying a probe is its operand's first
 * step (the probe object is shared by every step of its operand).
 */
function runContext(node: PlanNode): RunContext {
  const run = node.kind === 'run' ? node : node.kind === 'merge' ? node.operations[0] : undefined;
  return run && run.kind === 'run' ? { cwd: run.cwd, env: run.env } : { cwd: '', env: [] };
}

export async function runProbes(
  ctx: FrontendContext,
  plan: BuildPlan,
  images: readonly GeneratedImage[],
  options: GenerateOptions,
): Promise<Map<string, ProbeAnswer>> {
  const answers = new Map<string, ProbeAnswer>();
  await Promise.all(
    probeJobs(plan).map(async (job) => {
      const run = runState(images[job.base]!, job.cwd, job.env, options).run({
        args: ['/bin/sh', '-c', probeScript(job.command)],
        mounts: [{ dest: ANSWER_DIR, from: scratch() }],
        customName: stepName(job.origin, options.file),
        ignoreCache: true,
      });
      const definition = marshal(run.getMount(ANSWER_DIR), { platform: options.platform });
      const { ref } = await ctx.client.solve({ definition, evaluate: true });
      const status = Buffer.from(await ctx.client.readFile(ref, 'status')).toString('utf8').trim();
      if (status !== '0') {
        const errors = Buffer.from(await ctx.client.readFile(ref, 'errors').catch(() => new Uint8Array())).toString('utf8');
        throw probeFailure(job, status, errors, options);
      }
      answers.set(job.id, probeAnswer(await ctx.client.readFile(ref, 'answer')));
    }),
  );
  return answers;
}

/**
 * The probe's stdout is its answer. It always exits 0 so that a failure comes back to us with its
 * exit status and error output, to be reported at the Modusfile position (an exec failure would
 * only name the shell command); the error output is repeated on stderr for the progress log.
 */
function probeScript(command: string): string {
  return [
    `(${command}) >${ANSWER_DIR}/answer 2>${ANSWER_DIR}/errors`,
    'status=$?',
    `cat ${ANSWER_DIR}/errors >&2 2>/dev/null`,
    `echo $status >${ANSWER_DIR}/status`,
  ].join('; ');
}

const MAX_ERROR_CHARS = 4000;

function probeFailure(job: ProbeJob, status: string, errors: string, options: GenerateOptions): FrontendError {
  const trimmed = errors.trimEnd();
  const shown = trimmed.length > MAX_ERROR_CHARS ? `…${trimmed.slice(-MAX_ERROR_CHARS)}` : trimmed;
  const diagnostic = {
    severity: 'error' as const,
    message: `cache probe \`${job.command}\` failed with exit code ${status}` + (shown ? `; its error output:\n${shown}` : ' and wrote no error output'),
    ...(job.origin.span ? { span: job.origin.span } : {}),
  };
  return new FrontendError(renderDiagnostics([diagnostic], options.file));
}
