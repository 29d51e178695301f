// Benchmarks run through jest for the same TypeScript setup and test harness, one at a time,
// never in `npm test`. Each prints its figures as ratios against a baseline measured in the
// same run and writes them to test/artifacts/bench/<name>.json. No timing assertions.
const base = require('../jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/bench/**/*.bench.ts'],
  globalSetup: '<rootDir>/test/bench/global-setup.ts',
  testTimeout: 30 * 60_000,
  maxWorkers: 1,
  reporters: ['default'],
};
