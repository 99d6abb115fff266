import { Body, Controller, Get, HttpCode, Inject, Put, Res } from '@nestjs/common';
import { CommandBus, Query, QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, RequiresAction, toActor, type Principal } from '@app/auth';
import { contactDecider, toContactStreamId, type ContactEvent } from '@app/case-domain';
import { ChangeContactPreferences } from '@app/commands';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { toETag } from '../http/http.errors';
import type { WriteAnswer } from '../http/idempotency.service';
import { CurrentWrite, Write, type WriteContext } from '../http/write.interceptor';
import { ApiReadProblems, ApiWriteProblems } from '../openapi/api-problems';

export class ContactNotificationsRequest {
  @ApiProperty({
    description:
      'false: no notification e-mail about any of your cases, except the survey and the information requests (and their reminders); true: all again (each case’s own setting still applies)',
  })
  @IsBoolean()
  enabled!: boolean;
}

export class ContactNotificationsResponse {
  @ApiProperty({ description: 'the address the setting is for: the caller’s token’s e-mail, lower case' })
  email!: string;
  @ApiProperty({ description: 'false when the person turned the notification e-mails of all their cases off' })
  enabled!: boolean;
}

/** The caller's own setting, from their stream `contact-<address>` (on when they never changed it). */
export class GetContactNotifications extends Query<{ body: ContactNotificationsResponse; version: number }> {
  constructor(readonly email: string) {
    super();
  }
}

@QueryHandler(GetContactNotifications)
export class GetContactNotificationsHandler implements IQueryHandler<GetContactNotifications> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ email }: GetContactNotifications) {
    const streamId = toContactStreamId(email);
    const { events } = await this.store.readStream(streamId);
    const state = events.reduce(
      (s, e) => contactDecider.evolve(s, e as unknown as ContactEvent),
      contactDecider.initialState,
    );
    return {
      body: { email: streamId.slice('contact-'.length), enabled: state.notificationsEnabled },
      version: state.version,
    };
  }
}

/**
 * /v1/me/notifications: a customer's own notification e-mails, for all the cases they opened
 * (docs/notifications.md, "Turning them off"); `PUT /v1/cases/{id}/notifications` is the
 * per-case setting. The address is the token's `email`: a person sets their own, no one
 * else's. Written through the command door (`ChangeContactPreferences`).
 */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/me/notifications')
export class ContactPreferencesController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
  ) {}

  @Get()
  @RequiresAction('contact.read-notifications')
  @ApiOperation({ summary: 'Your notification e-mail setting for all your cases (on unless you turned it off)' })
  @ApiOkResponse({ type: ContactNotificationsResponse })
  @ApiReadProblems()
  async read(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply) {
    const { body, version } = await this.queries.execute(new GetContactNotifications(principal.email ?? ''));
    void reply.header('etag', toETag(version));
    return body;
  }

  @Put()
  @RequiresAction('contact.set-notifications')
  @HttpCode(200)
  @Write()
  @ApiOperation({
    summary:
      'Turn the notification e-mails of all your cases off or on (support admin); off: only the survey and the information requests (and their reminders) are e-mailed',
  })
  @ApiOkResponse({ type: ContactNotificationsResponse })
  @ApiWriteProblems({ ifMatch: true })
  async set(@Body() body: ContactNotificationsRequest, @CurrentWrite() w: WriteContext): Promise<WriteAnswer> {
    const actor = toActor(w.principal);
    const result = await this.commands.execute(
      new ChangeContactPreferences({
        command: { type: 'SetContactNotifications', email: w.principal.email ?? '', enabled: body.enabled, actor },
        actor,
        correlationId: w.correlationId,
        expectedVersion: w.expectedVersion,
        idempotency: w.idempotency,
      }),
    );
    const headers: Record<string, string> = { etag: toETag(result.version) };
    if (result.position !== undefined) headers['x-log-position'] = String(result.position);
    return {
      status: 200,
      body: { email: result.email, enabled: result.notificationsEnabled },
      headers,
      replayed: result.replayed,
    };
  }
}
