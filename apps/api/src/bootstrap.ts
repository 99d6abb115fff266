import { type ArgumentsHost, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Metrics, PinoNestLogger } from '@app/observability';
import { ApiModule, type ApiModuleOptions } from './app.module';
import { validationExceptionFactory } from './http/validation';
import { buildOpenApiDocument } from './openapi/openapi-document';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { allowMultipartRoutes, answerClientError, installRequestGuards } from './http/request-guards';
import { serveConsole } from './console/console-static';

/**
 * 1 MB: bigger JSON bodies get 413 (the case API carries text and attachment references; the
 * files themselves go to the multipart upload, limited by ATTACHMENT_MAX_BYTES per file)
 */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Builds the API application (used by main.ts and by the e2e tests). */
export const createApiApp = async (options: ApiModuleOptions): Promise<NestFastifyApplication> => {
  const problems = new ProblemDetailsFilter(options.logger);
  const adapter = new FastifyAdapter({
    loggerInstance: options.logger,
    bodyLimit: BODY_LIMIT_BYTES,
    // a survey link's token (a JWT, about 300 characters) is a path parameter: POST /v1/surveys/{token}
    // (under routerOptions: Fastify 5 deprecates the top-level option, FSTDEP022)
    routerOptions: { maxParamLength: 2048 },
    // the router's own refusals (a malformed percent-encoding: 400, a path parameter over
    // maxParamLength: 414) are answered before Nest sees the request: as problem documents too
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      const host = { switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }) };
      problems.catch(error, host as unknown as ArgumentsHost);
    },
    // and what Node's HTTP parser refuses (a malformed request line or header, headers too large)
    clientErrorHandler: answerClientError,
    // one line per request (below) instead of Fastify's two ("incoming request", "request completed")
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-correlation-id'];
      return typeof given === 'string' && given ? given : crypto.randomUUID();
    },
  });
  // JSON bodies only, not too deep, and text the store can keep (415 and 400 otherwise)
  installRequestGuards(adapter.getInstance(), BODY_LIMIT_BYTES);
  // but multipart/form-data on the attachment upload (POST /v1/cases/{id}/attachments) alone
  allowMultipartRoutes(adapter.getInstance());
  const metrics = options.metrics ?? new Metrics({ service: 'api' });
  // one histogram sample and one info line per answered request, labelled by route pattern (not the raw URL)
  adapter.getInstance().addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    request.log.info(
      {
        method: request.method,
        url: request.url,
        route,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
  });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRoot({ ...options, metrics }), adapter, {
    logger: new PinoNestLogger(options.logger),
    abortOnError: false,
    // Nest's JSON and form parsers stay off: installRequestGuards registers the only parser
    bodyParser: false,
  });
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: validationExceptionFactory,
    }),
  );
  app.enableShutdownHooks();
  // the web console's built files at /console (CONSOLE_DIR), its entry page for every deep link
  await app.register(serveConsole, { dir: options.config.console.dir, problems });
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
  return app;
};
