import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '@app/auth';
import type { IdempotencyService, StoredAnswer } from './idempotency.service';
import { parseIfMatch } from './http.errors';

const header = (req: FastifyRequest, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export interface WriteRequest {
  readonly principal: Principal;
  readonly correlationId: string;
  readonly idempotencyKey?: string;
  readonly expectedVersion?: number;
}

/**
 * Runs a write under the request's Idempotency-Key and sends its stored answer (status,
 * headers, body): the one path every POST of the API takes.
 */
export const answerWrite = async (
  idempotency: IdempotencyService,
  req: FastifyRequest,
  reply: FastifyReply,
  principal: Principal,
  handler: (write: WriteRequest) => Promise<StoredAnswer>,
): Promise<unknown> => {
  const idempotencyKey = header(req, 'idempotency-key');
  const write: WriteRequest = {
    principal,
    correlationId: String(req.id),
    idempotencyKey,
    expectedVersion: parseIfMatch(req.headers['if-match']),
  };
  const answer = await idempotency.run(
    principal.sub,
    idempotencyKey,
    { method: req.method, route: req.url.split('?')[0], body: req.body },
    () => handler(write),
  );
  void reply.status(answer.status);
  for (const [name, value] of Object.entries(answer.headers)) void reply.header(name, value);
  return answer.body;
};
