/** Two projects: fast unit tests (no daemon) and end-to-end tests through real dockerd BuildKit. */
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
      transform,
      ...esmSupport,
      testEnvironment: 'node',
    },
  ],
};
