/**
 * MergeOp (BuildKit >= 0.10, LLB cap `mergeop`), as Go's client/llb Merge: the inputs' files
 * stacked in order, later inputs over earlier ones, each input's layers kept as they are.
 */
import { scratch, State } from './state';
import type { OpOptions } from './types';
import type { MarshalContext, OpParts, Output, PbInput, Vertex } from './vertex';

/**
 * The states stacked (Go's llb.Merge): scratch inputs are left out, a merge of one state is that
 * state, of none scratch. The result keeps the first state's context (env, working directory...).
 */
export function merge(states: readonly State[], options: OpOptions = {}): State {
  const inputs = states.filter((s) => !s.isScratch);
  if (inputs.length === 0) return scratch();
  if (inputs.length === 1) return inputs[0]!;
  return inputs[0]!.withOutput({ vertex: new MergeVertex(inputs.map((s) => s.output!), options), index: 0 });
}

class MergeVertex implements Vertex {
  readonly dependencies: readonly Output[];

  constructor(
    inputs: readonly Output[],
    readonly options: OpOptions,
  ) {
    this.dependencies = inputs;
  }

  toOp(ctx: MarshalContext): OpParts {
    const inputs: PbInput[] = [];
    const merged: { input: number }[] = [];
    // One pb input per merge input, in order, even when two are the same (Go does the same).
    for (const output of this.dependencies) {
      merged.push({ input: inputs.length });
      inputs.push(ctx.input(output));
    }
    // A merge is not platform specific: it carries none.
    return { body: { merge: { inputs: merged } }, inputs, platform: undefined, caps: ['mergeop'] };
  }
}
