/**
 * A failing build step, told in Modusfile terms. BuildKit marks the failing vertex in its error
 * (an errdefs.Vertex detail holding the op digest); the definition we sent knows that op's name
 * and source location, so the message can start with `Modusfile:LINE:COL: error:` like every
 * other user error. The typed details stay as they were, so BuildKit still shows the step's logs.
 */
import { GrpcError } from '../gateway';
import type { Definition, PbRange } from '../llb';

const VERTEX_DETAIL = /errdefs\.Vertex\+json$/;

/** The error to Return for a failed solve: located when the failing step is one of ours. */
export function locateStepError(err: unknown, definition: Definition): unknown {
  if (!(err instanceof GrpcError)) return err;
  const digest = failedVertex(err);
  if (digest === undefined) return err;
  const step = describeStep(definition, digest);
  if (step === undefined) return err;
  const message = `${step.position ? `${step.position}: ` : ''}error: step \`${step.name}\` failed: ${err.status.message}`;
  return new GrpcError(err.method, { ...err.status, message });
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
