// jest setupFiles of the `e2e-current` project: its suites run on current Docker with buildx.
process.env.MODUS_E2E_DAEMON = 'current';
