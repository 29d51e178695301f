import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** Runs an entry point the way production does, but from the TypeScript sources. */
function run(entry: string, env: Record<string, string>) {
  return spawnSync(process.execPath, ['-r', './test/support/swc-register.js', entry], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('process start-up', () => {
  it.each(['apps/api/src/main.ts', 'apps/worker/src/main.ts'])(
    '%s refuses bad configuration with a clear message and a non-zero exit',
    (entry) => {
      const result = run(entry, {
        DATABASE_URL: 'mysql://nope',
        REDIS_URL: '',
        REVIEWS_REQUIRED: '9',
        JWT_SECRET: 'x'.repeat(40),
      });
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/Invalid configuration:/);
      expect(result.stderr).toMatch(/DATABASE_URL must start with postgres:\/\//);
      expect(result.stderr).toMatch(/REDIS_URL is required/);
      expect(result.stderr).toMatch(/REVIEWS_REQUIRED must be an integer from 1 to 3/);
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    },
  );
});
