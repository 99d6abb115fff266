import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put } from '@nestjs/common';
import { CommandBus, Query, QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequiresAction, toActor } from '@app/auth';
import { VendorNotFound, type Vendor, type VendorChangeCommand } from '@app/case-domain';
import { CLOCK, type Clock } from '@app/clock';
import { ChangeVendorDirectory } from '@app/commands';
import { CaseRouter, VendorDirectory } from '@app/routing';
import { SlaService } from '@app/sla';
import { HttpEdgeError } from '../http/http.errors';
import type { WriteAnswer } from '../http/idempotency.service';
import { CurrentWrite, Write, type WriteContext } from '../http/write.interceptor';
import { ApiReadProblems, ApiWriteProblems, type ProblemSpec } from '../openapi/api-problems';
import { RegisterVendorRequest, VendorDetailsRequest, VendorListResponse, VendorResponse } from './vendor-requests.dto';

export type VendorView = Vendor & { readonly atWork: boolean };

const VENDOR_NOT_FOUND: ProblemSpec = [404, 'an unknown vendor (VENDOR.NOT_FOUND)'];

/** The vendor directory's writes do not take If-Match (no 412); a calendar the app did not load is a 400. */
const VENDOR_INVALID: ProblemSpec = [
  400,
  'an invalid body (HTTP.VALIDATION_FAILED: `errors` names the fields), a calendar that is not configured ' +
    '(VENDOR.UNKNOWN_CALENDAR), malformed or too deep JSON, or a malformed Idempotency-Key or If-Match',
];

/** The vendors with whether each is at work now; one of them, by id (or VENDOR.NOT_FOUND). */
export class GetVendors extends Query<VendorView[]> {
  constructor(readonly vendorId?: string) {
    super();
  }
}

@QueryHandler(GetVendors)
export class GetVendorsHandler implements IQueryHandler<GetVendors, VendorView[]> {
  constructor(
    @Inject(VendorDirectory) private readonly directory: VendorDirectory,
    @Inject(CaseRouter) private readonly router: CaseRouter,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ vendorId }: GetVendors): Promise<VendorView[]> {
    // a supervisor's own change shows at once (this process wrote it); another process's within a second
    const vendors = vendorId === undefined ? await this.directory.list() : [await this.directory.get(vendorId)];
    const now = this.clock.now();
    return vendors.map((v) => {
      if (!v) throw new VendorNotFound(vendorId ?? '');
      return { ...v, atWork: this.router.isAtWork(v, now) };
    });
  }
}

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
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(SlaService) private readonly sla: SlaService,
  ) {}

  @Get()
  @RequiresAction('vendor.manage')
  @ApiOperation({ summary: 'The vendors, in the order they were registered, with whether each is at work now' })
  @ApiOkResponse({ type: VendorListResponse })
  @ApiReadProblems()
  async list() {
    return { items: await this.queries.execute(new GetVendors()) };
  }

  @Get(':id')
  @RequiresAction('vendor.manage')
  @ApiOperation({ summary: 'One vendor, with whether it is at work now' })
  @ApiOkResponse({ type: VendorResponse })
  @ApiReadProblems(400, VENDOR_NOT_FOUND)
  async get(@Param('id') id: string) {
    const [vendor] = await this.queries.execute(new GetVendors(id));
    return vendor;
  }

  @Post()
  @RequiresAction('vendor.manage')
  @Write()
  @ApiOperation({
    summary: 'Register a vendor; the same vendor again changes nothing (200), another with its id is a 409',
  })
  @ApiCreatedResponse({ type: VendorResponse })
  @ApiWriteProblems({ ifMatch: false }, VENDOR_INVALID, [409, 'another vendor has this id (VENDOR.ALREADY_REGISTERED)'])
  register(@Body() body: RegisterVendorRequest, @CurrentWrite() w: WriteContext) {
    return this.change(w, { type: 'RegisterVendor', vendor: { ...body }, actor: toActor(w.principal) }, 201);
  }

  @Put(':id')
  @RequiresAction('vendor.manage')
  @Write()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Change a vendor’s name, languages, regions or calendar (cases already routed stay where they are)',
  })
  @ApiOkResponse({ type: VendorResponse })
  @ApiWriteProblems({ ifMatch: false }, VENDOR_INVALID, VENDOR_NOT_FOUND)
  update(@Param('id') id: string, @Body() body: VendorDetailsRequest, @CurrentWrite() w: WriteContext) {
    return this.change(w, { type: 'UpdateVendor', vendor: { ...body, id }, actor: toActor(w.principal) }, 200);
  }

  private async change(w: WriteContext, command: VendorChangeCommand, created: 200 | 201): Promise<WriteAnswer> {
    const calendarId = String(command.vendor.calendarId ?? '');
    if (!this.sla.calendars.has(calendarId)) throw new UnknownCalendar(calendarId, [...this.sla.calendars.keys()]);
    const result = await this.commands.execute(
      new ChangeVendorDirectory({
        command,
        actor: toActor(w.principal),
        correlationId: w.correlationId,
        idempotency: w.idempotency,
      }),
    );
    const headers: Record<string, string> = { location: `/v1/vendors/${result.vendor.id}` };
    if (result.position !== undefined) headers['x-log-position'] = String(result.position);
    const [view] = await this.queries.execute(new GetVendors(result.vendor.id));
    return { status: result.changed ? created : 200, body: view, headers };
  }
}
