import {
  applyDecorators,
  createParamDecorator,
  Inject,
  Injectable,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, map, type Observable } from 'rxjs';
import type { Principal } from '@app/auth';
import { requestFingerprint, type IdempotencyClaim } from '@app/commands';
import { MalformedIdempotencyKey, parseIfMatch } from './http.errors';
import { IdempotencyService, type WriteAnswer } from './idempotency.service';

/** What every write needs besides its body: who, which request, which version the caller saw, its key. */
export interface WriteContext {
  readonly principal: Principal;
  readonly correlationId: string;
  /** from If-Match: the version the caller decided on */
  readonly expectedVersion?: number;
  /** from Idempotency-Key */
  readonly idempotency?: IdempotencyClaim;
}

type WriteRequest = FastifyRequest & { principal?: Principal; write?: WriteContext };

const KEY = /^[\x21-\x7e]{1,255}$/;

const header = (req: FastifyRequest, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * The HTTP side of every write route (`@Write()`): reads Idempotency-Key, If-Match and the
 * request id into a {@link WriteContext} for the route, runs the route under the key
 * (IdempotencyService), and sends the route's {@link WriteAnswer}: its headers (ETag,
 * Location, X-Log-Position; `Idempotent-Replayed: true` for a repeat) and its body.
 */
@Injectable()
export class WriteInterceptor implements NestInterceptor {
  constructor(@Inject(IdempotencyService) private readonly idempotency: IdempotencyService) {}

  intercept(context: ExecutionContext, next: CallHandler<WriteAnswer>): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<WriteRequest>();
    const reply = http.getResponse<FastifyReply>();
    const principal = req.principal as Principal; // set by the global AuthGuard, which runs first
    const key = header(req, 'idempotency-key');
    if (key !== undefined && !KEY.test(key)) throw new MalformedIdempotencyKey();
    const route = req.url.split('?')[0];
    req.write = {
      principal,
      correlationId: String(req.id),
      expectedVersion: parseIfMatch(req.headers['if-match']),
      ...(key === undefined
        ? {}
        : { idempotency: { scope: principal.sub, key, fingerprint: requestFingerprint(req.method, route, req.body) } }),
    };
    return from(this.idempotency.run(req.write.idempotency, () => lastValueFrom(next.handle()))).pipe(
      map((answer) => {
        void reply.status(answer.status);
        for (const [name, value] of Object.entries(answer.headers)) void reply.header(name, value);
        if (answer.replayed) void reply.header('idempotent-replayed', 'true');
        return answer.body;
      }),
    );
  }
}

/** The write's context, for a route under `@Write()`. */
export const CurrentWrite = createParamDecorator((_data: unknown, ctx: ExecutionContext): WriteContext => {
  const write = ctx.switchToHttp().getRequest<WriteRequest>().write;
  if (!write) throw new Error('@CurrentWrite() needs @Write() on the route');
  return write;
});

/**
 * A write route: the interceptor above, and its request headers in the OpenAPI document (its
 * problem answers, 412, 422 and 503 among them, are documented by `ApiWriteProblems` of
 * `openapi/api-problems.ts`, on the route).
 */
export const Write = () =>
  applyDecorators(
    UseInterceptors(WriteInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'same key and body: the same answer, nothing written again',
    }),
    ApiHeader({ name: 'If-Match', required: false, description: 'W/"<version>": refuse with 412 if it moved on' }),
    ApiHeader({
      name: 'X-Correlation-Id',
      required: false,
      description: 'recorded in the events; a new one when absent',
    }),
  );
