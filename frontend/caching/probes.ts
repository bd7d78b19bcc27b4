/**
 * Running `::cache_probe(CMD)` commands: each runs fresh (never cached) on the image its operand
 * starts from, with that image's user, env and working directory and the build's network; its
 * standard output is read back and becomes part of the keys of the operand's steps. The probe is
 * never an input of those steps: only the digest of its answer is.
 */
import type { FrontendContext } from '../gateway';
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
}

/** Every distinct probe of the plan (same command on the same base image: one run). */
export function probeJobs(plan: BuildPlan): ProbeJob[] {
  const baseOf = probeBase(plan);
  const jobs = new Map<string, ProbeJob>();
  plan.nodes.forEach((node, step) => {
    if (!('cache' in node)) return;
    for (const probe of node.cache.probes) {
      const base = baseOf(probe, step);
      const id = probeId(probe.command, base);
      if (!jobs.has(id)) jobs.set(id, { id, command: probe.command, base, origin: probe.origin });
    }
  });
  return [...jobs.values()];
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
      const run = runState(images[job.base]!, '', [], options).run({
        args: ['/bin/sh', '-c', `(${job.command}) > ${ANSWER_DIR}/answer`],
        mounts: [{ dest: ANSWER_DIR, from: scratch() }],
        customName: stepName(job.origin, options.file),
        ignoreCache: true,
      });
      const definition = marshal(run.getMount(ANSWER_DIR), { platform: options.platform });
      const { ref } = await ctx.client.solve({ definition, evaluate: true });
      answers.set(job.id, probeAnswer(await ctx.client.readFile(ref, 'answer')));
    }),
  );
  return answers;
}
