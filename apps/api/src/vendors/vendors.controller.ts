import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, RequiresAction, toActor, type Principal } from '@app/auth';
import { VendorNotFound, type Vendor, type VendorCommand } from '@app/case-domain';
import { CLOCK, type Clock } from '@app/clock';
import { CaseRouter, VendorDirectory } from '@app/routing';
import { SlaService } from '@app/sla';
import { HttpEdgeError } from '../http/http.errors';
import { IdempotencyService } from '../http/idempotency.service';
import { answerWrite } from '../http/write-request';
import { RegisterVendorRequest, VendorDetailsRequest, VendorListResponse, VendorResponse } from './vendor-requests.dto';

/** A vendor's calendar must be one the app loaded (CALENDARS_DIR), or it could never be at work. */
export class UnknownCalendar extends HttpEdgeError {
  readonly status = 400;
  readonly code = 'VENDOR.UNKNOWN_CALENDAR';
  constructor(calendarId: string, known: readonly string[]) {
    super(`Calendar ${JSON.stringify(calendarId)} is not configured; the calendars are ${known.join(', ')}.`);
  }
}

/** Support providers (R16), managed by supervisors (`vendor.manage`). */
@ApiTags('vendors')
@ApiBearerAuth()
@Controller('v1/vendors')
export class VendorsController {
  constructor(
    @Inject(VendorDirectory) private readonly directory: VendorDirectory,
    @Inject(CaseRouter) private readonly router: CaseRouter,
    @Inject(SlaService) private readonly sla: SlaService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(IdempotencyService) private readonly idempotency: IdempotencyService,
  ) {}

  @Get()
  @RequiresAction('vendor.manage')
  @ApiOperation({ summary: 'The vendors, in the order they were registered, with whether each is at work now' })
  @ApiOkResponse({ type: VendorListResponse })
  async list() {
    const now = this.clock.now();
    return { items: (await this.directory.list()).map((v) => this.show(v, now)) };
  }

  @Get(':id')
  @RequiresAction('vendor.manage')
  @ApiOkResponse({ type: VendorResponse })
  async get(@Param('id') id: string) {
    const vendor = await this.directory.get(id);
    if (!vendor) throw new VendorNotFound(id);
    return this.show(vendor, this.clock.now());
  }

  @Post()
  @RequiresAction('vendor.manage')
  @ApiOperation({
    summary: 'Register a vendor; the same vendor again changes nothing (200), another with its id is a 409',
  })
  @ApiCreatedResponse({ type: VendorResponse })
  @ApiConflictResponse({ description: 'VENDOR.ALREADY_REGISTERED' })
  register(
    @Body() body: RegisterVendorRequest,
    @CurrentPrincipal() p: Principal,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    return this.write(p, req, res, { type: 'RegisterVendor', vendor: { ...body }, actor: toActor(p) }, 201);
  }

  @Put(':id')
  @RequiresAction('vendor.manage')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Change a vendor’s name, languages, regions or calendar (cases already routed stay where they are)',
  })
  @ApiOkResponse({ type: VendorResponse })
  update(
    @Param('id') id: string,
    @Body() body: VendorDetailsRequest,
    @CurrentPrincipal() p: Principal,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    return this.write(p, req, res, { type: 'UpdateVendor', vendor: { ...body, id }, actor: toActor(p) }, 200);
  }

  private write(p: Principal, req: FastifyRequest, res: FastifyReply, command: VendorCommand, created: 200 | 201) {
    return answerWrite(this.idempotency, req, res, p, async (write) => {
      const calendarId = String(command.vendor.calendarId ?? '');
      if (!this.sla.calendars.has(calendarId)) throw new UnknownCalendar(calendarId, [...this.sla.calendars.keys()]);
      const now = this.clock.now();
      const result = await this.directory.execute(
        command,
        {
          actor: toActor(write.principal),
          correlationId: write.correlationId,
          ...(write.idempotencyKey ? { idempotencyKey: write.idempotencyKey } : {}),
        },
        now,
      );
      const headers: Record<string, string> = { location: `/v1/vendors/${result.vendor.id}` };
      if (result.position !== undefined) headers['x-log-position'] = String(result.position);
      return { status: result.changed ? created : 200, body: this.show(result.vendor, now), headers };
    });
  }

  private show(vendor: Vendor, now: Date) {
    return { ...vendor, atWork: this.router.isAtWork(vendor, now) };
  }
}
