/** The transpile stage: build plan in, Dockerfile text out (pure). */
export { transpile, runScript, outputStages, type TranspileOptions } from './dockerfile';
