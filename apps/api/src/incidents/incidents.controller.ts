import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequiresAction, toActor } from '@app/auth';
import { toIncidentView, type IncidentCommand } from '@app/case-domain';
import { ChangeIncident } from '@app/commands';
import { derivedUuid } from '@app/event-store';
import { toETag } from '../http/http.errors';
import { ApiReadProblems, ApiWriteProblems } from '../openapi/api-problems';
import type { WriteAnswer } from '../http/idempotency.service';
import { CurrentWrite, Write, type WriteContext } from '../http/write.interceptor';
import {
  DeclareIncidentRequest,
  IncidentListResponse,
  IncidentViewResponse,
  ResolveIncidentRequest,
} from './incident-requests.dto';
import { ListIncidents, type IncidentView } from './incident.queries';

/** Incidents of the status dashboard (R14), each its own stream `incident-<id>`. */
@ApiTags('incidents')
@ApiBearerAuth()
@Controller('v1/incidents')
export class IncidentsController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
  ) {}

  @Post()
  @RequiresAction('incident.declare')
  @Write()
  @ApiOperation({ summary: 'Declare an incident of the status dashboard (supervisor), for cases to link to (R14)' })
  @ApiCreatedResponse({ type: IncidentViewResponse })
  @ApiWriteProblems({ ifMatch: true })
  declare(@Body() body: DeclareIncidentRequest, @CurrentWrite() w: WriteContext) {
    // under an Idempotency-Key the id derives from the key: a retry finds the incident it declared
    const incidentId = w.idempotency
      ? derivedUuid('incident', w.idempotency.scope, w.idempotency.key)
      : crypto.randomUUID();
    const actor = { id: w.principal.sub, role: w.principal.role };
    const command: IncidentCommand = {
      type: 'DeclareIncident',
      incidentId,
      actor,
      title: body.title,
      services: body.services,
      startedAt: new Date(body.startedAt),
    };
    return this.change(incidentId, w, command, 201);
  }

  @Post(':id/resolution')
  @RequiresAction('incident.resolve')
  @Write()
  @HttpCode(200)
  @ApiOperation({ summary: 'Resolve an incident: record when it ended (supervisor)' })
  @ApiOkResponse({ type: IncidentViewResponse })
  @ApiWriteProblems(
    { ifMatch: true },
    [404, 'an unknown incident (INCIDENT.NOT_FOUND)'],
    [409, 'resolved already (INCIDENT.ALREADY_RESOLVED), or an end before its start (INCIDENT.ENDS_BEFORE_START)'],
  )
  resolve(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ResolveIncidentRequest,
    @CurrentWrite() w: WriteContext,
  ) {
    const actor = { id: w.principal.sub, role: w.principal.role };
    return this.change(id, w, { type: 'ResolveIncident', incidentId: id, actor, endedAt: new Date(body.endedAt) }, 200);
  }

  @Get()
  @RequiresAction('incident.read')
  @ApiOperation({ summary: 'The incidents of the status dashboard' })
  @ApiOkResponse({ type: IncidentListResponse })
  @ApiReadProblems()
  async list() {
    return { items: await this.queries.execute(new ListIncidents()) };
  }

  private async change(
    incidentId: string,
    w: WriteContext,
    command: IncidentCommand,
    status: number,
  ): Promise<WriteAnswer> {
    const { state, version, position, replayed } = await this.commands.execute(
      new ChangeIncident({
        incidentId,
        command,
        actor: toActor(w.principal),
        correlationId: w.correlationId,
        expectedVersion: w.expectedVersion,
        idempotency: w.idempotency,
      }),
    );
    const view = toIncidentView(state) as IncidentView;
    const headers: Record<string, string> = { etag: toETag(version) };
    if (status === 201) headers.location = `/v1/incidents/${incidentId}`;
    if (position !== undefined) headers['x-log-position'] = String(position);
    return { status, body: view, headers, replayed };
  }
}
