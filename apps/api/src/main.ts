import './threadpool'; // first: sizes libuv's thread pool before anything starts it
import './heap-growth'; // as early: see there
import 'reflect-metadata';
import { APP_CONFIG, AppConfig, ConfigError, loadConfig } from '@app/config';
import { migrateDatabase } from '@app/database';
import { checkEvictionPolicy } from '@app/queue';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ApiModule } from './api.module';
import { configureApi } from './setup';

async function bootstrap(): Promise<void> {
  try {
    loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const logger = new Logger('Api');
  const applied = await migrateDatabase(loadConfig().databaseUrl);
  if (applied.length) logger.log(`Applied migrations: ${applied.join(', ')}`);
  const app = await NestFactory.create(ApiModule, { bufferLogs: true });
  configureApi(app);
  const config = app.get<AppConfig>(APP_CONFIG);
  await checkEvictionPolicy(config.redisUrl, logger);
  await app.listen(config.port);
  logger.log(`API listening on http://localhost:${config.port} (docs at /api/docs)`);
}

bootstrap().catch((e: Error) => {
  process.stderr.write(`API failed to start: ${e.stack ?? e.message}\n`);
  process.exit(1);
});
