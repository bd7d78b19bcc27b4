// Which daemon an e2e suite talks to. The `e2e` jest project runs every suite on the main daemon
// (Debian 12's Docker 20.10, BuildKit v0.8, `docker build`); the `e2e-current` project runs the
// same suites on current Docker (Docker 28 + buildx from Debian sid, `docker buildx build`,
// the containerd image store), started by scripts/start-current-docker.sh.
import * as path from 'path';

export type DaemonKind = 'main' | 'current';

export interface Daemon {
  kind: DaemonKind;
  /** The docker client for this daemon (for current Docker, a wrapper that sets its host and buildx). */
  client: string;
  /** The build command: `build` on 20.10, `buildx build` on current Docker. */
  buildCommand: readonly string[];
  /** The frontend image as builds name it (current Docker takes it from a registry only). */
  frontendImage: string;
  /** How to start it when it does not answer. */
  startHint: string;
}

const LOCAL_FRONTEND = process.env.MODUS_FRONTEND_IMAGE || 'modus-frontend:dev';

function currentDaemon(): Daemon {
  return {
    kind: 'current',
    client: process.env.MODUS_CURRENT_DOCKER || '/var/lib/modus-current/bin/docker',
    buildCommand: ['buildx', 'build'],
    frontendImage: process.env.MODUS_CURRENT_FRONTEND_IMAGE || `localhost:5000/${path.posix.basename(LOCAL_FRONTEND)}`,
    startHint: 'bash scripts/start-current-docker.sh, then bash scripts/push-frontend-image.sh',
  };
}

function mainDaemon(): Daemon {
  return {
    kind: 'main',
    // The Debian 20.10 client: a newer /usr/local/bin/docker may be on PATH and refuses BuildKit builds.
    client: process.env.MODUS_DOCKER || '/usr/bin/docker',
    buildCommand: ['build'],
    frontendImage: LOCAL_FRONTEND,
    startHint: 'bash scripts/setup-machine.sh',
  };
}

/** The daemon of this test file, chosen by its jest project (test/e2e/support/use-*-daemon.js). */
export const DAEMON: Daemon = process.env.MODUS_E2E_DAEMON === 'current' ? currentDaemon() : mainDaemon();

/**
 * A client with buildx (`--call`, `--check`, `--build-context`) for this suite's daemon: its own on
 * current Docker; on 20.10, current Docker's client (buildx 0.29) pointed at the 20.10 daemon,
 * as a user with a newer client drives an older daemon (Docker 20.10's own client has no buildx).
 */
export const BUILDX_CLIENT: { client: string; env: Record<string, string> } =
  DAEMON.kind === 'current'
    ? { client: DAEMON.client, env: {} }
    : { client: process.env.MODUS_CURRENT_DOCKER || '/var/lib/modus-current/bin/docker', env: { DOCKER_HOST: 'unix:///var/run/docker.sock' } };

/** True on current Docker: for the few assertions where the two daemons differ on purpose. */
export const ON_CURRENT_DOCKER = DAEMON.kind === 'current';
