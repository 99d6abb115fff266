import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus, Inject, Optional } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '@app/observability';
import { ROOT_LOGGER } from '../app.tokens';
import { retryAfterOf, toProblem } from './problem-mapping';

/**
 * The one place where errors become HTTP answers: RFC 9457 `application/problem+json`
 * with `type`, `title`, `status`, `detail`, `code`, the correlation id, and for 400 the
 * failing fields. A 5xx is logged with its stack; its detail never leaks internals.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(@Optional() @Inject(ROOT_LOGGER) private readonly logger?: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const problem = toProblem(exception);
    const correlationId = request.headers['x-correlation-id'];
    if (problem.status >= HttpStatus.INTERNAL_SERVER_ERROR) {
      this.logger?.error({ err: exception, url: request.url, method: request.method }, 'request failed');
    }
    const body = { ...problem, instance: request.url, ...(typeof correlationId === 'string' ? { correlationId } : {}) };
    const challenge = (exception as { wwwAuthenticate?: unknown })?.wwwAuthenticate;
    if (problem.status === HttpStatus.UNAUTHORIZED) {
      void reply.header('www-authenticate', typeof challenge === 'string' ? challenge : 'Bearer');
    }
    // a retriable refusal says when to come back (WRITE.CONTENTION, STORE.UNAVAILABLE)
    const retryAfter = retryAfterOf(exception);
    if (retryAfter !== undefined) void reply.header('retry-after', String(retryAfter));
    void reply.status(problem.status).header('content-type', 'application/problem+json').send(body);
  }
}
