import { Inject, Injectable } from '@nestjs/common';
import { ACCESS_POLICY, type AccessPolicy, type Principal } from '@app/auth';
import { caseDecider, toCaseView, type CaseEvent, type CaseView } from '@app/case-domain';
import { EVENT_STORE, SQL_DATABASE, type EventStore, type SqlDatabase } from '@app/event-store';

export interface ListCasesFilter {
  readonly status?: string;
  readonly priority?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

export interface CaseListPage {
  readonly items: readonly CaseView[];
  readonly nextCursor?: string;
}

/**
 * GET /v1/cases, folded from the case streams (newest first, keyset cursor on the opening
 * position). Interim: the case-summaries projection replaces the fold.
 */
@Injectable()
export class CaseListQuery {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ACCESS_POLICY) private readonly policy: AccessPolicy,
  ) {}

  async list(principal: Principal, filter: ListCasesFilter): Promise<CaseListPage> {
    const limit = filter.limit ?? 50;
    const before = filter.cursor ? Number(Buffer.from(filter.cursor, 'base64url').toString()) : Number.MAX_SAFE_INTEGER;
    const { rows } = await this.db.query<{ stream_id: string; global_position: string }>(
      `SELECT stream_id, global_position FROM events
        WHERE event_type = 'Opened' AND stream_id LIKE 'case-%' AND global_position < $1
          AND ($2::text IS NULL OR metadata->>'tenant' = $2)
        ORDER BY global_position DESC`,
      [before, 'org' in principal ? principal.org : null],
    );
    const items: CaseView[] = [];
    let last: number | undefined;
    for (const row of rows) {
      const { events } = await this.store.readStream(row.stream_id);
      const state = (events as unknown as CaseEvent[]).reduce(caseDecider.evolve, caseDecider.initialState);
      const view = toCaseView(state);
      last = Number(row.global_position);
      if (!view || !this.policy.canSeeCase(principal, view.tenant, view.language)) continue;
      if (filter.status && view.status !== filter.status) continue;
      if (filter.priority && view.priority !== filter.priority) continue;
      items.push(view);
      if (items.length === limit) break;
    }
    const more = items.length === limit && last !== undefined && rows.at(-1)?.global_position !== String(last);
    return { items, ...(more ? { nextCursor: Buffer.from(String(last)).toString('base64url') } : {}) };
  }
}
