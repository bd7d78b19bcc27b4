/**
 * The `::cache_probe(CMD)` commands of a plan, as jobs: which image each runs on, with which
 * working directory and env, and which probes are one run (probeIdentity). Pure; the frontend
 * runs the jobs through the gateway (buildkit/run-probes.ts).
 */
import type { BuildPlan, CacheControl, NodeId, PlanNode } from '../planner/plan';
import { probeId } from './keys';

/** The node whose image a probe runs on: the planner's `base`, else the root image of the step. */
function probeBase(plan: BuildPlan): (probe: CacheControl['probes'][number], step: NodeId) => NodeId {
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

export interface ProbeJob {
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
