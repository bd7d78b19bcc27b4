/** The planner stage: chosen proofs in, build plan out. */
export { planBuild } from './planner';
export { printPlan } from './print';
export { parseDuration } from './cache';
export { joinPath, staysInsideContext } from './paths';
export * from './plan';
