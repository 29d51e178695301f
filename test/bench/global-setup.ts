import { execSync } from 'node:child_process';
import { join } from 'node:path';
import globalSetup from '../support/global-setup';

/**
 * The tests' setup, then a build of the server apps: benchmarks run the API and worker as
 * `npm start` does (`dist/`, see `builtEntry`), so that they measure the code as it is now.
 */
export default async function benchGlobalSetup(): Promise<void> {
  await globalSetup();
  execSync('npm run build:server', { cwd: join(__dirname, '..', '..'), stdio: 'ignore' });
}
