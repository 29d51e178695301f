import { Global, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { AppConfig, loadConfig } from './app-config';

/** Injection token for the checked `AppConfig`. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * Reads `.env` (if any) and the environment once, checked by `loadConfig`, which lists every
 * problem at once. Entry points call `loadConfig()` before creating the Nest application too,
 * so that bad configuration ends the process with that list instead of a stack trace.
 */
@Global()
@Module({
  imports: [ConfigModule.forRoot({ cache: true, load: [() => ({ app: loadConfig() })] })],
  providers: [
    { provide: APP_CONFIG, inject: [ConfigService], useFactory: (c: ConfigService): AppConfig => c.getOrThrow('app') },
  ],
  exports: [APP_CONFIG],
})
export class AppConfigModule {}
