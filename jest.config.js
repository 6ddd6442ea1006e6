// One jest run, four kinds of test. Each project names its environment so that
// UI tests get jsdom and everything else talks to real servers from Node.
const transform = { '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };
const common = { transform, moduleFileExtensions: ['ts', 'tsx', 'js', 'json'] };

/** @type {import('jest').Config} */
module.exports = {
  maxWorkers: 2,
  // Creating a PGlite store runs initdb and a browser test starts Chromium: seconds each on a busy
  // two-core machine, past jest's 5 s default for a hook. A suite may still set its own.
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/test/helpers/summaryReporter.js'],
  projects: [
    {
      ...common,
      displayName: 'cdevents',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/cdevents/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'backend',
      testEnvironment: 'node',
      testMatch: [
        '<rootDir>/test/backend/**/*.test.ts',
        '<rootDir>/test/deploy/**/*.test.ts',
        '<rootDir>/test/data/**/*.test.ts',
      ],
    },
    {
      ...common,
      displayName: 'ui',
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/test/ui/**/*.test.ts?(x)'],
      setupFilesAfterEnv: ['<rootDir>/test/helpers/setupUi.ts'],
      moduleNameMapper: { '\\.css$': '<rootDir>/test/helpers/styleStub.js' },
    },
    {
      ...common,
      displayName: 'e2e',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts', '<rootDir>/test/scenarios/**/*.test.ts'],
    },
  ],
};
