import { DataSource } from 'typeorm';
import { migrate } from './advisory-lock';
import { dataSourceOptions } from './data-source-options';

/** Applies pending migrations with a short-lived connection, before any service starts. */
export async function migrateDatabase(databaseUrl: string): Promise<string[]> {
  const dataSource = new DataSource({ ...dataSourceOptions(databaseUrl), extra: { max: 2 } });
  await dataSource.initialize();
  try {
    return await migrate(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
