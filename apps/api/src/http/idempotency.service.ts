import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { SqlDatabase } from '@app/event-store';
import { toProblem, type Problem } from './problem-mapping';
import { IdempotencyKeyInProgress, IdempotencyKeyReused, MalformedIdempotencyKey } from './http.errors';

export const IDEMPOTENCY_MIGRATIONS = [
  {
    version: 1,
    name: 'idempotency keys',
    sql: `CREATE TABLE idempotency_keys (
      scope text NOT NULL,
      key text NOT NULL,
      fingerprint text NOT NULL,
      state text NOT NULL CHECK (state IN ('pending', 'done')),
      status integer,
      body jsonb,
      headers jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (scope, key))`,
  },
];

export interface StoredAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
}

/** After this long a pending key is taken to belong to a request that died; it may run again. */
const PENDING_EXPIRY_SECONDS = 60;

const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * `Idempotency-Key` on writes (the IETF draft's semantics, as Stripe does it): the first
 * request with a key runs and its answer is stored; the same key with the same request
 * gets the stored answer and writes nothing; the same key with another request is a 422.
 * Keys are scoped per caller, so two callers never collide.
 *
 * Why a pending row first: two identical requests racing would otherwise both run. The
 * row's primary key lets exactly one claim the key; the other is told to retry (409). Event
 * ids derived from the key are the second line of defence (the store ignores a repeated id).
 */
export class IdempotencyService {
  constructor(private readonly db: SqlDatabase) {}

  async run(
    scope: string,
    key: string | undefined,
    request: { method: string; route: string; body: unknown },
    handler: () => Promise<StoredAnswer>,
  ): Promise<StoredAnswer> {
    if (key === undefined) return handler();
    if (!KEY.test(key)) throw new MalformedIdempotencyKey();
    const fingerprint = createHash('sha256')
      .update(`${request.method} ${request.route}\n${canonicalize(request.body ?? {}) ?? ''}`)
      .digest('hex');
    const replay = await this.claim(scope, key, fingerprint);
    if (replay) return replay;
    try {
      const answer = await handler();
      await this.complete(scope, key, answer);
      return answer;
    } catch (e) {
      const problem = toProblem(e);
      // refusals (4xx) are answers too: the same request must get the same refusal;
      // anything else may succeed on a retry, so the key is released
      if (problem.status >= 400 && problem.status < 500) {
        await this.completeWithError(scope, key, problem);
      } else {
        await this.db.query('DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2', [scope, key]);
      }
      throw e;
    }
  }

  private async claim(scope: string, key: string, fingerprint: string): Promise<StoredAnswer | undefined> {
    const inserted = await this.db.query(
      `INSERT INTO idempotency_keys (scope, key, fingerprint, state) VALUES ($1, $2, $3, 'pending')
       ON CONFLICT (scope, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, created_at = now()
         WHERE idempotency_keys.state = 'pending'
           AND idempotency_keys.created_at < now() - make_interval(secs => $4)
       RETURNING key`,
      [scope, key, fingerprint, PENDING_EXPIRY_SECONDS],
    );
    if (inserted.rows.length) return undefined;
    const { rows } = await this.db.query<{ fingerprint: string; state: string; status: number; body: unknown; headers: unknown }>(
      'SELECT fingerprint, state, status, body, headers FROM idempotency_keys WHERE scope = $1 AND key = $2',
      [scope, key],
    );
    const row = rows[0];
    if (!row) return this.claim(scope, key, fingerprint);
    if (row.fingerprint !== fingerprint) throw new IdempotencyKeyReused(key);
    if (row.state === 'pending') throw new IdempotencyKeyInProgress(key);
    if (row.status >= 400) throw new ReplayedRefusal(row.body as ReplayedRefusal['problem']);
    return { status: row.status, body: row.body, headers: (row.headers ?? {}) as Record<string, string> };
  }

  private async complete(scope: string, key: string, answer: StoredAnswer) {
    await this.db.query(
      `UPDATE idempotency_keys SET state = 'done', status = $3, body = $4::jsonb, headers = $5::jsonb WHERE scope = $1 AND key = $2`,
      [scope, key, answer.status, JSON.stringify(answer.body), JSON.stringify(answer.headers)],
    );
  }

  private async completeWithError(scope: string, key: string, problem: Problem) {
    const stored = { status: problem.status, code: problem.code, message: problem.detail, errors: problem.errors };
    await this.db.query(
      `UPDATE idempotency_keys SET state = 'done', status = $3, body = $4::jsonb WHERE scope = $1 AND key = $2`,
      [scope, key, problem.status, JSON.stringify(stored)],
    );
  }
}

/** A stored refusal, thrown again for a repeated request so the problem filter renders it the same way. */
export class ReplayedRefusal extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors?: Problem['errors'];
  constructor(readonly problem: { status: number; code: string; message: string; errors?: Problem['errors'] }) {
    super(problem.message);
    this.status = problem.status;
    this.code = problem.code;
    this.errors = problem.errors;
  }
}
