import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequiresAction, type Principal } from '@app/auth';
import { ApiReadProblems } from '../openapi/api-problems';
import { QueueListResponse, QueuePageQuery, QueuePageResponse, QueuesQuery } from './queue.dto';
import { GetQueuePage, ListQueues } from './queue.queries';

/**
 * The agents' queues (R16: per language and priority; R4: only cases routed to the agent's
 * vendor), from the `case_queue` read model. Claiming is POST /v1/cases/{id}/assignment.
 * Supervisors see every vendor's queues (or one vendor's with `?vendor=`).
 */
@ApiTags('queues')
@ApiBearerAuth()
@Controller('v1/queues')
export class QueuesController {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {}

  @Get()
  @RequiresAction('case.claim')
  @ApiOperation({ summary: 'The queues the caller may take cases from, with their counts' })
  @ApiOkResponse({ type: QueueListResponse })
  @ApiReadProblems(400)
  list(@Query() query: QueuesQuery, @CurrentPrincipal() p: Principal) {
    return this.queries.execute(new ListQueues(p, query));
  }

  @Get(':id')
  @RequiresAction('case.claim')
  @ApiOperation({
    summary: 'One queue’s unassigned cases: breached first, then by priority, then by first-response due time',
  })
  @ApiOkResponse({ type: QueuePageResponse })
  @ApiReadProblems(400, [404, 'not one of the caller’s queues (QUEUE.NOT_FOUND)'])
  page(@Param('id') id: string, @Query() query: QueuePageQuery, @CurrentPrincipal() p: Principal) {
    return this.queries.execute(new GetQueuePage(id, p, query));
  }
}
