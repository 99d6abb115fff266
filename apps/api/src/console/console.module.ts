import { Module } from '@nestjs/common';
import { ConsoleController } from './console.controller';

/**
 * The API side of the web console (apps/console): GET /v1/console/config and the local
 * POST /v1/console/sign-in. The built console's files are served by `serveConsole`
 * (console-static.ts), a Fastify plugin registered by bootstrap.ts.
 */
@Module({ controllers: [ConsoleController] })
export class ConsoleModule {}
