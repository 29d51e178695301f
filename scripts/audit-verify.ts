/*
 * `npm run audit:verify`: walks the audit log's hash chain in DATABASE_URL. Exit 0 when it is
 * whole, 1 naming every edited, inserted or deleted entry found, 2 when it cannot check.
 */
import 'reflect-metadata';
import { AuditService } from '@app/audit';
import { dataSourceOptions } from '@app/database';
import { DataSource } from 'typeorm';

async function main(): Promise<number> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write('DATABASE_URL is required\n');
    return 2;
  }
  const dataSource = new DataSource({
    ...dataSourceOptions(url),
    extra: { max: 2, application_name: 'votecheck-audit' },
  });
  await dataSource.initialize();
  try {
    const result = await new AuditService(dataSource).verify();
    if (result.ok) {
      process.stdout.write(`Audit log intact: ${result.entries} entries, hash chain unbroken\n`);
      return 0;
    }
    process.stdout.write(
      `Audit log TAMPERED: ${result.problems.length} problem(s) in ${result.entries} entries\n` +
        result.problems.map((p) => `  - ${p}\n`).join(''),
    );
    return 1;
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`Audit check failed: ${e.message}\n`);
    process.exit(2);
  },
);
