import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './app-config';

export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * Provides the validated {@link AppConfig}. The config is loaded by the app's `main.ts`
 * before Nest starts (so a bad value stops the process with one line, before any module
 * is built) and handed in here; libraries receive their options from it, not from
 * `process.env` (the one exception, `NODE_ENV=test` for shorter timing defaults in specs,
 * is listed in libs/config/README.md).
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: AppConfigModule, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] };
  }
}
