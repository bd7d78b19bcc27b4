// Decides, once per test file, whether end-to-end tests can run, and declares them accordingly.
//
// MODUS_E2E=required (set by .ci/run): a missing daemon or image FAILS the suite.
// MODUS_E2E=off: e2e suites are skipped on purpose.
// otherwise: they are skipped with a visible message when their prerequisites are missing.
import { spawnSync } from 'child_process';
import { removeTempDirectories } from './context';
import { DAEMON } from './daemon';
import { DOCKER } from './process';

/** Per-test timeout for e2e tests: builds through the daemon take seconds to minutes. */
export const E2E_TEST_TIMEOUT_MS = 300_000;

export interface E2eRequirements {
  /** Images that must exist in the local store, e.g. FRONTEND_IMAGE, BUSYBOX_IMAGE. */
  images?: string[];
}

type E2eMode = 'required' | 'off' | 'auto';

function e2eMode(): E2eMode {
  const value = process.env.MODUS_E2E;
  return value === 'required' || value === 'off' ? value : 'auto';
}

let daemonAnswer: boolean | undefined;

export function daemonAvailable(): boolean {
  if (daemonAnswer === undefined) {
    const result = spawnSync(DOCKER, ['info', '--format', '{{.ServerVersion}}'], { timeout: 15_000, stdio: 'ignore' });
    daemonAnswer = result.status === 0;
  }
  return daemonAnswer;
}

/** In the daemon's store; the frontend on current Docker: in the registry, where it takes it from. */
function imagePresent(image: string): boolean {
  const inRegistry = DAEMON.kind === 'current' && image === DAEMON.frontendImage;
  const args = inRegistry ? ['buildx', 'imagetools', 'inspect', image] : ['image', 'inspect', image];
  return spawnSync(DOCKER, args, { timeout: 15_000, stdio: 'ignore' }).status === 0;
}

/** Why the suite cannot run, or undefined when it can. */
export function missingPrerequisite(requirements: E2eRequirements = {}): string | undefined {
  if (!daemonAvailable()) {
    return `no docker daemon answers '${DOCKER} info' (start it: ${DAEMON.startHint})`;
  }
  const missing = (requirements.images ?? []).filter((image) => !imagePresent(image));
  if (missing.length > 0) {
    const hint = DAEMON.kind === 'current' ? DAEMON.startHint : 'npm run image';
    return `missing image(s) ${missing.join(', ')} on the ${DAEMON.kind} daemon (${hint})`;
  }
  return undefined;
}

/**
 * `describe` for e2e tests. Runs `body` when the daemon (and the required images) are there;
 * otherwise fails (MODUS_E2E=required) or skips with a message saying why.
 */
export function describeE2e(name: string, body: () => void, requirements: E2eRequirements = {}): void {
  jest.setTimeout(E2E_TEST_TIMEOUT_MS);
  const mode = e2eMode();
  if (mode === 'off') {
    describe.skip(`${name} [skipped: MODUS_E2E=off]`, body);
    return;
  }
  const reason = missingPrerequisite(requirements);
  if (reason === undefined) {
    describe(name, () => {
      afterAll(removeTempDirectories);
      body();
    });
  } else if (mode === 'required') {
    describe(name, () => {
      test('e2e prerequisites are present', () => {
        throw new Error(`MODUS_E2E=required but ${reason}`);
      });
    });
  } else {
    process.stderr.write(`[e2e] skipping "${name}": ${reason}\n`);
    describe.skip(`${name} [skipped: ${reason}]`, body);
  }
}
