import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Principal } from '@app/auth';
import { speaks } from '@app/case-domain';
import { SQL_DATABASE, type SqlDatabase } from '@app/event-store';
import { PROJECTIONS, type ProjectionRegistry } from '@app/projections';
import {
  caseQueueProjection,
  listQueue,
  parseQueueId,
  queueSummaries,
  type QueuePage,
  type QueuedCase,
  type QueueScope,
  type QueueSummary,
} from '@app/read-models';
import { VendorDirectory } from '@app/routing';
import { HttpEdgeError } from '../http/http.errors';
import { CheckpointCache } from '../read-models/checkpoint-cache';
import { caughtUpWith } from '../read-models/read-your-writes';
import type { QueuePageQuery, QueuesQuery } from './queue.dto';

/** A queue the agent is not eligible for: as if it did not exist (R4). */
export class QueueNotFound extends HttpEdgeError {
  readonly status = 404;
  readonly code = 'QUEUE.NOT_FOUND';
  constructor(queueId: string) {
    super(`Queue ${queueId} is not one of your queues.`);
  }
}

const present = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as T;

const item = (c: QueuedCase) =>
  present({
    id: c.caseId,
    subject: c.subject,
    tenant: c.tenant,
    language: c.language,
    priority: c.priority,
    status: c.status,
    openedAt: c.openedAt,
    firstResponseDueAt: c.firstResponseDueAt,
    breached: c.breached,
    vendorId: c.vendorId,
  });

export interface QueueListView {
  readonly items: QueueSummary[];
  readonly caughtUp: boolean;
}

export interface QueuePageView {
  readonly queue: QueuePage['queue'];
  readonly items: ReturnType<typeof item>[];
  readonly nextCursor?: string;
  readonly caughtUp: boolean;
}

/** The queues the caller may take cases from, with their counts (GET /v1/queues). */
export class ListQueues extends Query<QueueListView> {
  constructor(
    readonly principal: Principal,
    readonly filter: QueuesQuery,
  ) {
    super();
  }
}

/** One of the caller's queues, a page of its unassigned cases (GET /v1/queues/{id}). */
export class GetQueuePage extends Query<QueuePageView> {
  constructor(
    readonly queueId: string,
    readonly principal: Principal,
    readonly filter: QueuePageQuery,
  ) {
    super();
  }
}

/**
 * An agent: the agent's vendor, and the agent's languages that the vendor also speaks (a
 * vendor unknown to the directory has no queue). A supervisor: every vendor, or one.
 */
const scopeOf = async (directory: VendorDirectory, p: Principal, vendor?: string): Promise<QueueScope> => {
  if (p.role !== 'agent') return vendor === undefined ? {} : { vendorId: vendor };
  const own = await directory.get(p.vendor);
  return { vendorId: p.vendor, languages: own ? p.languages.filter((l) => speaks(own.languages, l)) : [] };
};

/**
 * The queue counts of a scope (a vendor and languages: every agent of a vendor speaking the
 * same languages shares them) are counted once per checkpoint of the queue read model: a
 * vendor's unassigned cases are tens of thousands of rows at a million cases, and two
 * hundred agents refresh their queues all day. At most this old while nothing moves.
 */
export const QUEUE_COUNTS_MAX_AGE_MS = 5_000;

@QueryHandler(ListQueues)
export class ListQueuesHandler implements IQueryHandler<ListQueues, QueueListView> {
  private readonly counts: CheckpointCache<QueueSummary[]>;

  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(PROJECTIONS) private readonly projections: ProjectionRegistry,
    @Inject(VendorDirectory) private readonly directory: VendorDirectory,
  ) {
    this.counts = new CheckpointCache(projections, caseQueueProjection.name, {
      maxAgeMs: QUEUE_COUNTS_MAX_AGE_MS,
      maxEntries: 1_000,
    });
  }

  async execute({ principal, filter }: ListQueues): Promise<QueueListView> {
    const caughtUp = await caughtUpWith(this.projections, caseQueueProjection.name, filter.after);
    const scope = await scopeOf(this.directory, principal, filter.vendor);
    const items = await this.counts.get(
      JSON.stringify([scope.vendorId ?? null, scope.languages ?? null]),
      Date.now(),
      () => queueSummaries(this.db, scope),
    );
    return { items: items.map(present), caughtUp };
  }
}

@QueryHandler(GetQueuePage)
export class GetQueuePageHandler implements IQueryHandler<GetQueuePage, QueuePageView> {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(PROJECTIONS) private readonly projections: ProjectionRegistry,
    @Inject(VendorDirectory) private readonly directory: VendorDirectory,
  ) {}

  async execute({ queueId, principal, filter }: GetQueuePage): Promise<QueuePageView> {
    const queue = parseQueueId(queueId);
    const scope = await scopeOf(this.directory, principal, filter.vendor);
    if (scope.languages && !speaks(scope.languages, queue.language)) throw new QueueNotFound(queue.id);
    const caughtUp = await caughtUpWith(this.projections, caseQueueProjection.name, filter.after);
    const page = await listQueue(this.db, {
      queueId: queue.id,
      vendorId: scope.vendorId,
      limit: filter.limit,
      cursor: filter.cursor,
    });
    return {
      queue: page.queue,
      items: page.items.map(item),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      caughtUp,
    };
  }
}
