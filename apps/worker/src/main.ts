import 'reflect-metadata';
import { ConfigError, loadConfig } from '@app/config';
import { migrateDatabase } from '@app/database';
import { checkEvictionPolicy } from '@app/queue';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const logger = new Logger('Worker');
  await migrateDatabase(config.databaseUrl);
  await checkEvictionPolicy(config.redisUrl, logger);
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(PinoLogger));
  app.enableShutdownHooks();
  logger.log('Worker started');
}

bootstrap().catch((e: Error) => {
  process.stderr.write(`Worker failed to start: ${e.stack ?? e.message}\n`);
  process.exit(1);
});
