/**
 * The frontend entry point: BuildKit's gateway.v0 starts this with the gRPC connection on
 * stdin/stdout. Logs go to stderr (the daemon's log); the user sees Return's error or result.
 */
import { runFrontend, statusFromError, userErrorStatus } from './gateway';
import { buildImage } from './buildkit/build';

void runFrontend(buildImage, {
  toStatus: (err) => (err instanceof Error && err.name === 'OptionError' ? userErrorStatus(err.message) : statusFromError(err)),
});
