/**
 * The solver's two settings as users write them (`--cost`/`MODUS_COST`, `--budget`/`MODUS_BUDGET`):
 * one reading for the frontend and the `modus` program, each of which words its own error.
 */
import type { CostFunction } from './proof';

export const COST_FUNCTIONS: readonly CostFunction[] = ['layers', 'height', 'first', 'available'];

/** The cost function named `text`, or undefined when there is none of that name. */
export function costFunctionNamed(text: string): CostFunction | undefined {
  return COST_FUNCTIONS.find((c) => c === text);
}

/** A resolution budget: a positive whole number of steps, or undefined when `text` is not one. */
export function budgetFrom(text: string): number | undefined {
  return /^[1-9][0-9]*$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : undefined;
}
