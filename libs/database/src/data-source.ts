// The data source the TypeORM CLI uses to generate migrations:
//   npx typeorm-ts-node-commonjs migration:generate -d libs/database/src/data-source.ts libs/database/src/migrations/Name
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

export default new DataSource(dataSourceOptions(process.env.DATABASE_URL ?? 'postgres://localhost/votecheck'));
