import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequiresAction, type Principal } from '@app/auth';
import { speaks } from '@app/case-domain';
import { SQL_DATABASE, type SqlDatabase } from '@app/event-store';
import { PROJECTIONS, type ProjectionRegistry } from '@app/projections';
import {
  caseQueueProjection,
  listQueue,
  parseQueueId,
  queueSummaries,
  type QueuedCase,
  type QueueScope,
} from '@app/read-models';
import { VendorDirectory } from '@app/routing';
import { HttpEdgeError } from '../http/http.errors';
import { caughtUpWith } from '../read-models/read-your-writes';
import { QueueListResponse, QueuePageQuery, QueuePageResponse, QueuesQuery } from './queue.dto';

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

/**
 * The agents' queues (R16: per language and priority; R4: only cases routed to the agent's
 * vendor), from the `case_queue` read model. Claiming is POST /v1/cases/{id}/assignment.
 * Supervisors see every vendor's queues (or one vendor's with `?vendor=`).
 */
@ApiTags('queues')
@ApiBearerAuth()
@Controller('v1/queues')
export class QueuesController {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(PROJECTIONS) private readonly projections: ProjectionRegistry,
    @Inject(VendorDirectory) private readonly directory: VendorDirectory,
  ) {}

  @Get()
  @RequiresAction('case.claim')
  @ApiOperation({ summary: 'The queues the caller may take cases from, with their counts' })
  @ApiOkResponse({ type: QueueListResponse })
  async list(@Query() query: QueuesQuery, @CurrentPrincipal() p: Principal) {
    const caughtUp = await caughtUpWith(this.projections, caseQueueProjection.name, query.after);
    const items = await queueSummaries(this.db, await this.scopeOf(p, query.vendor));
    return { items: items.map(present), caughtUp };
  }

  @Get(':id')
  @RequiresAction('case.claim')
  @ApiOperation({
    summary: 'One queue’s unassigned cases: breached first, then by priority, then by first-response due time',
  })
  @ApiOkResponse({ type: QueuePageResponse })
  @ApiNotFoundResponse({ description: 'not one of the caller’s queues' })
  async page(@Param('id') id: string, @Query() query: QueuePageQuery, @CurrentPrincipal() p: Principal) {
    const queue = parseQueueId(id);
    const scope = await this.scopeOf(p, query.vendor);
    if (scope.languages && !speaks(scope.languages, queue.language)) throw new QueueNotFound(queue.id);
    const caughtUp = await caughtUpWith(this.projections, caseQueueProjection.name, query.after);
    const page = await listQueue(this.db, {
      queueId: queue.id,
      vendorId: scope.vendorId,
      limit: query.limit,
      cursor: query.cursor,
    });
    return {
      queue: page.queue,
      items: page.items.map(item),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      caughtUp,
    };
  }

  /**
   * An agent: the agent's vendor, and the agent's languages that the vendor also speaks (a
   * vendor unknown to the directory has no queue). A supervisor: every vendor, or one.
   */
  private async scopeOf(p: Principal, vendor?: string): Promise<QueueScope> {
    if (p.role !== 'agent') return vendor === undefined ? {} : { vendorId: vendor };
    const own = await this.directory.get(p.vendor);
    return { vendorId: p.vendor, languages: own ? p.languages.filter((l) => speaks(own.languages, l)) : [] };
  }
}
