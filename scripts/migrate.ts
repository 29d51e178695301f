/* `npm run migrate`: applies pending migrations to DATABASE_URL. */
import 'reflect-metadata';
import { migrateDatabase } from '@app/database';

const url = process.env.DATABASE_URL;
if (!url) {
  process.stderr.write('DATABASE_URL is required\n');
  process.exit(2);
}
migrateDatabase(url).then(
  (applied) => process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Nothing to apply\n'),
  (e: Error) => {
    process.stderr.write(`Migration failed: ${e.message}\n`);
    process.exit(1);
  },
);
