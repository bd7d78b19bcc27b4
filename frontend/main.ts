/**
 * The frontend entry point: BuildKit's gateway.v0 starts this with the gRPC connection on
 * stdin/stdout. Logs go to stderr (the daemon's log); the user sees Return's error or result.
 *
 * The frontend image runs it from a V8 start-up snapshot (`node --build-snapshot`, see the
 * Dockerfile): the bundle is then already evaluated (Chevrotain's lexer and parser built) when
 * the process starts, and `start` runs as the snapshot's main function. A warm-up build against
 * an in-memory gateway runs before the snapshot is taken, so the build path's bytecode is in it.
 */
import { startupSnapshot } from 'node:v8';
import { runFrontend } from './gateway';
import { buildImage, readBuildInput, type BuildStats } from './buildkit/build';
import { answerSubrequest, requestedSubrequest } from './buildkit/subrequest';
import { warmUp } from './buildkit/warm-up';

function start(): void {
  void runFrontend(
    async (ctx, input) => {
      const subrequest = requestedSubrequest(ctx.env.opts);
      if (subrequest !== undefined) return answerSubrequest(subrequest, input);
      const stats: BuildStats = { solveMs: 0 };
      const result = await buildImage(ctx, input, stats);
      // One line in the daemon's log: how long the frontend took from process start to Return,
      // and how much of it BuildKit spent solving the graph (the rest is the frontend's own work).
      const total = Math.round(process.uptime() * 1000);
      process.stderr.write(`modus frontend: ready to return after ${total} ms (${Math.round(stats.solveMs)} ms of it BuildKit solving the graph)\n`);
      return result;
    },
    // The Modusfile's round trips overlap the Ping.
    { alongsidePing: readBuildInput },
  );
}

if (startupSnapshot?.isBuildingSnapshot()) {
  startupSnapshot.setDeserializeMainFunction(start);
  // Finishes before the snapshot is taken (node drains the event loop first); a failure fails the image build.
  void warmUp();
} else start();
