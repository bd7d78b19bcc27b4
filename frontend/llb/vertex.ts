/**
 * What every op of the graph provides to `marshal`: its dependencies and its pb.Op as a plain
 * object. Ops are immutable values; marshaling them twice gives the same bytes.
 */
import type { OpOptions, Platform } from './types';

/** Output `index` of `vertex`. */
export interface Output {
  readonly vertex: Vertex;
  readonly index: number;
}

/**
 * What an op reads of a State: its output, and the working directory and platform relative paths
 * and ops default to. (A State is one; ops take this so that they need not know the State class.)
 */
export interface StateRef {
  readonly output: Output | undefined;
  dir(): string;
  platform(): Platform | undefined;
}

/** pb.Input as a plain object. */
export interface PbInput {
  digest: string;
  index?: number;
}

/** What a vertex needs from the marshaler while building its op. */
export interface MarshalContext {
  readonly defaultPlatform: Platform;
  /** True/false when the daemon's LLB caps are known to (not) include `exec.meta.setsdefaultpath`. */
  readonly setsDefaultPath: boolean | undefined;
  /** The pb.Input for a dependency (marshaling it first if needed). */
  input(output: Output): PbInput;
}

export interface OpParts {
  /** The oneof member: exactly one of exec/source/file/merge/diff. */
  body: Record<string, unknown>;
  inputs: PbInput[];
  /** Platform written into the op, or undefined for platform-independent sources. */
  platform: Platform | undefined;
  /** LLB caps this op needs (they go into its metadata, and the daemon checks them). */
  caps: string[];
}

export interface Vertex {
  /** Dependencies in a deterministic order (the order `marshal` visits them). */
  readonly dependencies: readonly Output[];
  readonly options: OpOptions;
  toOp(ctx: MarshalContext): OpParts;
}

export function toPbPlatform(platform: Platform): Record<string, unknown> {
  return {
    Architecture: platform.architecture,
    OS: platform.os,
    Variant: platform.variant,
    OSVersion: platform.osVersion,
    OSFeatures: platform.osFeatures,
  };
}

/** Input index of `input` in `inputs`, appending it when new (equal digest and index = same input). */
export function addInput(inputs: PbInput[], input: PbInput): number {
  const found = inputs.findIndex((i) => i.digest === input.digest && (i.index ?? 0) === (input.index ?? 0));
  if (found >= 0) return found;
  inputs.push(input);
  return inputs.length - 1;
}

/** Go's string order (bytewise over UTF-8), which differs from JS `<` only beyond the BMP. */
export function compareBytewise(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
