import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, RequiresAction, type Principal } from '@app/auth';
import { IdempotencyService } from '../http/idempotency.service';
import { toETag } from '../http/http.errors';
import { answerWrite } from '../http/write-request';
import { DeclareIncidentRequest, IncidentListResponse, IncidentViewResponse, ResolveIncidentRequest } from './incident-requests.dto';
import { IncidentsService } from './incidents.service';

@ApiTags('incidents')
@ApiBearerAuth()
@Controller('v1/incidents')
export class IncidentsController {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Post()
  @RequiresAction('incident.declare')
  @ApiCreatedResponse({ type: IncidentViewResponse })
  declare(@Body() body: DeclareIncidentRequest, @CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply) {
    return answerWrite(this.idempotency, req, res, p, async (write) => {
      const incidentId = crypto.randomUUID();
      const view = await this.incidents.execute(incidentId, write, {
        type: 'DeclareIncident',
        incidentId,
        actor: { id: p.sub, role: p.role },
        title: body.title,
        services: body.services,
        startedAt: new Date(body.startedAt),
      });
      return { status: 201, body: view, headers: { etag: toETag(view.version), location: `/v1/incidents/${incidentId}` } };
    });
  }

  @Post(':id/resolution')
  @RequiresAction('incident.resolve')
  @HttpCode(200)
  @ApiOkResponse({ type: IncidentViewResponse })
  resolve(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ResolveIncidentRequest,
    @CurrentPrincipal() p: Principal,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    return answerWrite(this.idempotency, req, res, p, async (write) => {
      const view = await this.incidents.execute(id, write, {
        type: 'ResolveIncident',
        incidentId: id,
        actor: { id: p.sub, role: p.role },
        endedAt: new Date(body.endedAt),
      });
      return { status: 200, body: view, headers: { etag: toETag(view.version) } };
    });
  }

  @Get()
  @RequiresAction('incident.read')
  @ApiOkResponse({ type: IncidentListResponse })
  async list() {
    return { items: await this.incidents.list() };
  }
}
