// jest setupFiles of the `e2e` project: its suites run on the main daemon (Docker 20.10).
process.env.MODUS_E2E_DAEMON = 'main';
