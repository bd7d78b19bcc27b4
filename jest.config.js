/**
 * Three projects: fast unit tests (no daemon), and the end-to-end tests through real dockerd
 * BuildKit twice: `e2e` on Docker 20.10 and `e2e-current` on current Docker with buildx.
 */
// tsconfig.json has isolatedModules: ts-jest then transpiles each file alone (fast; `npm test` type-checks first).
const tsJest = ['ts-jest', {}];
/**
 * chevrotain is ESM-only, which jest's CommonJS runtime cannot load on Node 20: use its
 * self-contained bundle, converted to CommonJS by esbuild.
 */
const esmSupport = {
  moduleNameMapper: { '^chevrotain$': '<rootDir>/node_modules/chevrotain/lib/chevrotain.mjs' },
  transformIgnorePatterns: ['/node_modules/(?!chevrotain/lib/chevrotain\\.mjs$)'],
};
const transform = {
  '^.+\\.ts$': tsJest,
  '/node_modules/chevrotain/lib/chevrotain\\.mjs$': '<rootDir>/test/esm-transform.js',
};
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
      transform,
      ...esmSupport,
      testEnvironment: 'node',
    },
    {
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/e2e/support/use-main-daemon.js'],
      transform,
      ...esmSupport,
      testEnvironment: 'node',
    },
    {
      // The same suites on current Docker (Docker 28 + buildx): scripts/start-current-docker.sh.
      displayName: 'e2e-current',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/e2e/support/use-current-daemon.js'],
      transform,
      ...esmSupport,
      testEnvironment: 'node',
    },
  ],
};
