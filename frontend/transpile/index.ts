/** The transpile stage: build plan in, Dockerfile text out (pure). */
export { transpile, runScript, outputStages, type TranspileOptions, type TranspileResult, type TranspiledTarget } from './dockerfile';
export type { KnownWorkdir } from './workdirs';
