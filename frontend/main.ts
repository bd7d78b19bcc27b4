/**
 * The frontend entry point: BuildKit's gateway.v0 starts this with the gRPC connection on
 * stdin/stdout. Logs go to stderr (the daemon's log); the user sees Return's error or result.
 */
import { runFrontend } from './gateway';
import { buildImage } from './buildkit/build';

void runFrontend(async (ctx) => {
  const result = await buildImage(ctx);
  // One line in the daemon's log: how long the frontend took from process start to Return.
  process.stderr.write(`modus frontend: ready to return after ${Math.round(process.uptime() * 1000)} ms\n`);
  return result;
});
