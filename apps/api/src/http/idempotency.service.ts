import { Logger } from '@nestjs/common';
import { IdempotencyKeyReused, type IdempotencyClaim } from '@app/commands';
import type { SqlDatabase } from '@app/event-store';
import { toProblem, type Problem } from './problem-mapping';

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
  {
    version: 2,
    name: 'idempotency keys are answers only: no pending claims',
    // claims left by requests that died before version 2 would never be finished
    sql: `DELETE FROM idempotency_keys WHERE state = 'pending'`,
  },
];

/** A write's answer, as the HTTP edge sends it and as it is kept for a repeat. */
export interface WriteAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
  /** the key's write had committed before (found in the log): this is its answer again */
  readonly replayed?: boolean;
}

/**
 * `Idempotency-Key` on writes (the IETF draft's semantics, as Stripe does it): the same key
 * and request get the answer of the write that committed, and write nothing; the same key
 * with another request is a 422. Keys are scoped per caller, so two callers never collide.
 *
 * What is true here does not depend on this table. The events of a keyed write carry the
 * key and their ids derive from it (@app/commands), so a retry after any fault (a 500, a
 * lost connection, a crash between the commit and the answer) is answered from the log.
 * The table only keeps answers for quick repeats, refusals (which write no events) and a
 * key reused on another route; it is written after the answer is known, and a failure to
 * write it loses nothing. There is no "pending" claim to expire: a key whose request died is
 * usable again at once. Two requests with one key in this process: the second waits for
 * the first and gets its answer. In two processes: both decide, the store keeps one copy of
 * the events (same ids), and the other is answered from the log.
 */
export class IdempotencyService {
  private readonly logger = new Logger('Idempotency');
  private readonly inFlight = new Map<string, { fingerprint: string; answer: Promise<WriteAnswer> }>();

  constructor(private readonly db: SqlDatabase) {}

  run(claim: IdempotencyClaim | undefined, handler: () => Promise<WriteAnswer>): Promise<WriteAnswer> {
    if (claim === undefined) return handler();
    const id = `${claim.scope}\u0000${claim.key}`;
    const running = this.inFlight.get(id);
    if (running) {
      if (running.fingerprint !== claim.fingerprint) return Promise.reject(new IdempotencyKeyReused(claim.key));
      return running.answer.then((answer) => ({ ...answer, replayed: true }));
    }
    const answer = this.runFirst(claim, handler).finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, { fingerprint: claim.fingerprint, answer });
    return answer;
  }

  private async runFirst(claim: IdempotencyClaim, handler: () => Promise<WriteAnswer>): Promise<WriteAnswer> {
    const stored = await this.find(claim);
    if (stored) return stored;
    let answer: WriteAnswer;
    try {
      answer = await handler();
    } catch (e) {
      const problem = toProblem(e);
      // refusals (4xx) are answers too: the same request gets the same refusal. Not a 422
      // for a key reused: the key's own request may still come and must find its answer.
      if (problem.status >= 400 && problem.status < 500 && !(e instanceof IdempotencyKeyReused))
        await this.keep(claim, problem.status, refusalOf(problem), {});
      throw e;
    }
    await this.keep(claim, answer.status, answer.body, answer.headers);
    return answer;
  }

  private async find(claim: IdempotencyClaim): Promise<WriteAnswer | undefined> {
    const { rows } = await this.db.query<{ fingerprint: string; status: number; body: unknown; headers: unknown }>(
      `SELECT fingerprint, status, body, headers FROM idempotency_keys WHERE scope = $1 AND key = $2 AND state = 'done'`,
      [claim.scope, claim.key],
      { name: 'idempotency_find' },
    );
    const row = rows[0];
    if (!row) return undefined;
    if (row.fingerprint !== claim.fingerprint) throw new IdempotencyKeyReused(claim.key);
    if (row.status >= 400) throw new ReplayedRefusal(row.body as ReplayedRefusal['problem']);
    return {
      status: row.status,
      body: row.body,
      headers: (row.headers ?? {}) as Record<string, string>,
      replayed: true,
    };
  }

  /** Best effort: the log already holds what matters, so a failure here is logged, not answered. */
  private async keep(
    claim: IdempotencyClaim,
    status: number,
    body: unknown,
    headers: Record<string, string>,
  ): Promise<void> {
    try {
      await this.db.query(
        `INSERT INTO idempotency_keys (scope, key, fingerprint, state, status, body, headers)
         VALUES ($1, $2, $3, 'done', $4, $5::jsonb, $6::jsonb) ON CONFLICT (scope, key) DO NOTHING`,
        [claim.scope, claim.key, claim.fingerprint, status, JSON.stringify(body), JSON.stringify(headers)],
        { name: 'idempotency_keep' },
      );
    } catch (e) {
      this.logger.warn(
        `could not keep the answer of Idempotency-Key ${JSON.stringify(claim.key)}: ${(e as Error).message}`,
      );
    }
  }
}

const refusalOf = (problem: Problem) => ({
  status: problem.status,
  code: problem.code,
  message: problem.detail,
  errors: problem.errors,
});

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
