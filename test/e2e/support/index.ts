// End-to-end test helpers: build contexts, docker build/run/inspect through the real daemon,
// and describeE2e (runs, skips or fails a suite depending on the daemon and MODUS_E2E).
export { makeContext, writeContextFile, makeTempDirectory, removeTempDirectories } from './context';
export {
  BUSYBOX_IMAGE,
  FRONTEND_IMAGE,
  NODE_BASE_IMAGE,
  dockerBuild,
  dockerRun,
  imageExists,
  inspectImage,
  removeImages,
  testImageName,
} from './docker';
export type { BuildOptions, BuildResult, ImageInspect, RunOptions } from './docker';
export { DOCKER, buildx, docker, dockerChecked } from './process';
export type { CommandOptions, CommandResult } from './process';
export { E2E_TEST_TIMEOUT_MS, daemonAvailable, describeE2e, missingPrerequisite } from './suite';
export type { E2eRequirements } from './suite';
export { DAEMON, ON_CURRENT_DOCKER } from './daemon';
export type { Daemon, DaemonKind } from './daemon';
