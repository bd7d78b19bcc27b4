/** The planner stage: chosen proofs in, build plan out. */
export { planBuild, type PlannedSolution, type PlanResult } from './planner';
export { printPlan, type PrintOptions } from './print';
export { parseDuration } from './cache';
export { joinPath, staysInsideContext } from './paths';
export * from './plan';
