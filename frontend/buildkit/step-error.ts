/**
 * A failing build step, told in Modusfile terms. BuildKit marks the failing vertex in its error
 * (an errdefs.Vertex detail holding the op digest); the definition we sent knows that op's name
 * and source location, so the message can start with `Modusfile:LINE:COL: error:` like every
 * other user error. The typed details stay as they were, so BuildKit still shows the step's logs.
 */
import type { SourceFile } from '../../grammar/source';
import { GrpcError } from '../gateway';
import type { Definition, PbRange } from '../llb';
import type { BuildPlan, RunMount } from '../planner/plan';

const VERTEX_DETAIL = /errdefs\.Vertex\+json$/;

/** A `::mount_secret` or `::mount_ssh` of the plan: where the operator and its run are written. */
interface SessionMount {
  kind: 'secret' | 'ssh';
  id: string;
  /** `Modusfile:LINE:COL` of the operator's name. */
  operator: string;
  /** `Modusfile:LINE:COL` of the run it applies to (as in the step's position). */
  run: string | undefined;
}

/** The error to Return for a failed solve: located when the failing step is one of ours. */
export function locateStepError(err: unknown, definition: Definition, sessionMounts: readonly SessionMount[] = []): unknown {
  if (!(err instanceof GrpcError)) return err;
  const digest = failedVertex(err);
  if (digest === undefined) return err;
  const step = describeStep(definition, digest);
  if (step === undefined) return err;
  const missing = missingSessionInput(err.status.message, step, sessionMounts);
  if (missing) return new GrpcError(err.method, { ...err.status, message: missing });
  const message = `${step.position ? `${step.position}: ` : ''}error: step \`${step.name}\` failed: ${err.status.message}`;
  return new GrpcError(err.method, { ...err.status, message });
}

/** BuildKit's words for a secret or SSH agent the client did not give: v0.8, then current. */
const MISSING_SECRET = /\bsecret ([A-Za-z0-9][A-Za-z0-9._-]*):? not found\b/;
const MISSING_SSH = /\bno SSH key "([^"]*)" forwarded from the client\b|\bunset ssh forward key (\S+)/;

/** A step failed for want of a secret or agent: said at the operator that asked for it. */
function missingSessionInput(message: string, step: StepDescription, mounts: readonly SessionMount[]): string | undefined {
  const secret = MISSING_SECRET.exec(message);
  const ssh = MISSING_SSH.exec(message);
  const wanted = secret ? { kind: 'secret' as const, id: secret[1]! } : ssh ? { kind: 'ssh' as const, id: (ssh[1] ?? ssh[2])! } : undefined;
  if (!wanted) return undefined;
  const candidates = mounts.filter((m) => m.kind === wanted.kind && m.id === wanted.id);
  const mount = candidates.find((m) => m.run === step.position) ?? candidates[0];
  const where = mount?.operator ?? step.position;
  const text =
    wanted.kind === 'secret'
      ? `secret \`${wanted.id}\` was not given to the build (docker build --secret id=${wanted.id},src=FILE or env=VARIABLE)`
      : `SSH agent \`${wanted.id}\` was not given to the build (docker build --ssh ${wanted.id === 'default' ? 'default' : `${wanted.id}=SOCKET`})`;
  return `${where ? `${where}: ` : ''}error: ${text}; step \`${step.name}\` needs it`;
}

/** Every `::mount_secret` and `::mount_ssh` of the plan, with the positions of operator and run. */
export function sessionMountsOf(plan: BuildPlan, file: SourceFile, filename: string): SessionMount[] {
  const out: SessionMount[] = [];
  const at = (offset: number) => {
    const p = file.position(offset);
    return `${filename}:${p.line}:${p.column}`;
  };
  const add = (mounts: readonly RunMount[] | undefined, run: { span?: { start: number } }) => {
    for (const m of mounts ?? []) {
      if (m.kind !== 'secret' && m.kind !== 'ssh') continue;
      const span = m.origin.span;
      if (!span) continue;
      // The marker's span is the whole application; the operator's name is its last `::mount_…`.
      const name = file.text.lastIndexOf(`::mount_${m.kind}`, span.end);
      out.push({ kind: m.kind, id: m.id, operator: at(name >= span.start ? name : span.start), run: run.span ? at(run.span.start) : undefined });
    }
  };
  for (const node of plan.nodes) {
    if (node.kind === 'run') add(node.mounts, node.origin);
    if (node.kind === 'merge') for (const op of node.operations) if (op.kind === 'run') add(op.mounts, node.origin);
  }
  return out;
}

function failedVertex(err: GrpcError): string | undefined {
  for (const detail of err.jsonDetails()) {
    if (!VERTEX_DETAIL.test(detail.typeUrl)) continue;
    const value = detail.value as { digest?: unknown; Digest?: unknown } | null;
    const digest = value?.digest ?? value?.Digest;
    if (typeof digest === 'string') return digest;
  }
  return undefined;
}

interface StepDescription {
  /** The step name without its trailing position, e.g. `app › run("make")`. */
  name: string;
  /** `Modusfile:12:3`, when the definition maps the op to a source range. */
  position?: string;
}

function describeStep(definition: Definition, digest: string): StepDescription | undefined {
  const customName = definition.metadata[digest]?.description?.['llb.customname'];
  if (customName === undefined) return undefined;
  const location = definition.source?.locations[digest]?.locations[0];
  const range: PbRange | undefined = location?.ranges[0];
  const filename = definition.source?.infos[location?.sourceIndex ?? 0]?.filename;
  if (!range || filename === undefined || range.start.line === undefined) return { name: customName };
  const position = `${filename}:${range.start.line}:${(range.start.character ?? 0) + 1}`;
  const name = customName.endsWith(` ${position}`) ? customName.slice(0, -position.length - 1) : customName;
  return { name, position };
}
