/**
 * Tests that start processes (the `modus` bundle, a fake docker client, node scripts, bash,
 * swipl) get 30 s per test instead of jest's 5: on a loaded machine a node start-up alone can
 * take seconds. The timeout only bounds a hang; it slows no test down.
 */
const PROCESS_TEST_TIMEOUT_MS = 30_000;

/** Called at the top of a test file: every test of the file gets PROCESS_TEST_TIMEOUT_MS. */
export function startsProcesses(): void {
  jest.setTimeout(PROCESS_TEST_TIMEOUT_MS);
}
