/**
 * DiffOp (BuildKit >= 0.10, LLB cap `diffop`), as Go's client/llb Diff: the changes that turn
 * `lower` into `upper` (files added or changed, and deletions), as a state of its own.
 */
import { scratch, type State } from './state';
import type { OpOptions } from './types';
import type { MarshalContext, OpParts, Output, PbInput, Vertex } from './vertex';

/**
 * What `upper` changes over `lower` (Go's llb.Diff): from scratch that is `upper` itself. The
 * result keeps `lower`'s context.
 */
export function diff(lower: State, upper: State, options: OpOptions = {}): State {
  if (lower.isScratch) return upper.isScratch ? scratch() : upper;
  return lower.withOutput({ vertex: new DiffVertex(lower.output, upper.output, options), index: 0 });
}

/** pb.Empty: a scratch input. */
const EMPTY_INPUT = -1;

class DiffVertex implements Vertex {
  readonly dependencies: readonly Output[];

  constructor(
    private readonly lower: Output | undefined,
    private readonly upper: Output | undefined,
    readonly options: OpOptions,
  ) {
    this.dependencies = [lower, upper].filter((o): o is Output => o !== undefined);
  }

  toOp(ctx: MarshalContext): OpParts {
    const inputs: PbInput[] = [];
    const indexOf = (output: Output | undefined) => {
      if (!output) return EMPTY_INPUT;
      inputs.push(ctx.input(output));
      return inputs.length - 1;
    };
    const lower = { input: indexOf(this.lower) };
    const upper = { input: indexOf(this.upper) };
    // A diff is not platform specific: it carries none.
    return { body: { diff: { lower, upper } }, inputs, platform: undefined, caps: ['diffop'] };
  }
}
