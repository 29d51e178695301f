// One runner for everything: unit specs beside the code, e2e specs under test/, all against the
// real PostgreSQL and Redis named by DATABASE_URL and REDIS_URL (defaults: localhost).
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const swcrc = JSON.parse(readFileSync(join(root, '.swcrc'), 'utf8'));
// swc rewrites the @app/* aliases itself, so that globalSetup (which jest does not map) works too.
swcrc.jsc.baseUrl = root;
swcrc.jsc.paths = { '@app/*': ['libs/*/src'] };

/** @type {import('jest').Config} */
module.exports = {
  rootDir: root,
  testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/*/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/var/'],
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testEnvironment: 'node',
  testTimeout: 60_000,
  maxWorkers: process.env.JEST_WORKERS || 2,
  reporters: ['default', ['<rootDir>/test/support/summary-reporter.js', {}]],
};
