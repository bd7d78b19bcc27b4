/**
 * The operators (`E::name(ARGS)`): what each takes and gives, its parameters and its family. A
 * new operator is one entry here plus its semantics in the planner (and the transpiler).
 */
import type { Kind } from './kinds';

/**
 * How an operator acts, for the stages that treat a whole family alike:
 *  - `image`: starts from its operand's image and edits the image configuration;
 *  - `layer`: changes how the steps of its operand run (directory, environment);
 *  - `cache`: changes the cache key of every step of its operand;
 *  - `mount`: gives every `run` of its operand a build-time mount (never part of a layer);
 *  - `copy`, `merge`: their own steps.
 */
type OperatorFamily = 'image' | 'layer' | 'cache' | 'mount' | 'copy' | 'merge';

export interface OperatorSignature {
  name: string;
  family: OperatorFamily;
  /** `ImageOrLayer` with output `SameAsInput`: wraps any buildable expression and keeps its kind. */
  input: Kind | 'ImageOrLayer';
  output: Kind | 'SameAsInput';
  /** Parameter names, for arity messages. */
  params: readonly string[];
  /** How many of the trailing `params` may be left out (0 unless said). */
  optional?: number;
  /** Whether the (single) argument may be a list of strings. */
  listArgument?: boolean;
}

const OPERATOR_TABLE: readonly OperatorSignature[] = [
  { name: 'copy', family: 'copy', input: 'Image', output: 'Layer', params: ['src', 'dst'] },
  { name: 'set_env', family: 'image', input: 'Image', output: 'Image', params: ['key', 'value'] },
  { name: 'set_entrypoint', family: 'image', input: 'Image', output: 'Image', params: ['command'], listArgument: true },
  { name: 'set_cmd', family: 'image', input: 'Image', output: 'Image', params: ['command'], listArgument: true },
  { name: 'set_workdir', family: 'image', input: 'Image', output: 'Image', params: ['dir'] },
  { name: 'set_label', family: 'image', input: 'Image', output: 'Image', params: ['key', 'value'] },
  { name: 'set_user', family: 'image', input: 'Image', output: 'Image', params: ['user'] },
  { name: 'append_path', family: 'image', input: 'Image', output: 'Image', params: ['path'] },
  { name: 'in_workdir', family: 'layer', input: 'Layer', output: 'Layer', params: ['dir'] },
  { name: 'in_env', family: 'layer', input: 'Layer', output: 'Layer', params: ['key', 'value'] },
  { name: 'merge', family: 'merge', input: 'Layer', output: 'Layer', params: [] },
  { name: 'no_cache', family: 'cache', input: 'ImageOrLayer', output: 'SameAsInput', params: [] },
  { name: 'cache_key', family: 'cache', input: 'ImageOrLayer', output: 'SameAsInput', params: ['value'] },
  { name: 'cache_probe', family: 'cache', input: 'ImageOrLayer', output: 'SameAsInput', params: ['command'] },
  { name: 'cache_ttl', family: 'cache', input: 'ImageOrLayer', output: 'SameAsInput', params: ['duration'] },
  { name: 'mount_cache', family: 'mount', input: 'ImageOrLayer', output: 'SameAsInput', params: ['target', 'id'], optional: 1 },
  { name: 'mount_secret', family: 'mount', input: 'ImageOrLayer', output: 'SameAsInput', params: ['id', 'target'], optional: 1 },
  { name: 'mount_ssh', family: 'mount', input: 'ImageOrLayer', output: 'SameAsInput', params: ['id'], optional: 1 },
  { name: 'mount_tmpfs', family: 'mount', input: 'ImageOrLayer', output: 'SameAsInput', params: ['target'] },
];

export const OPERATORS: ReadonlyMap<string, OperatorSignature> = new Map(OPERATOR_TABLE.map((op) => [op.name, op]));

export function operatorSignature(name: string): OperatorSignature | undefined {
  return OPERATORS.get(name);
}

/** Whether `count` arguments fit the operator's parameters (some trailing ones may be optional). */
export function acceptsArgumentCount(signature: OperatorSignature, count: number): boolean {
  const most = signature.params.length;
  return count <= most && count >= most - (signature.optional ?? 0);
}

/** Whether an argument of the operator may be a list (`::set_entrypoint`, `::set_cmd`). */
export function takesListArgument(name: string): boolean {
  return OPERATORS.get(name)?.listArgument === true;
}
