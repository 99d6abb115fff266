import { BadRequestException, Controller, Get, Headers, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { decodeJwt } from 'jose';
import { CurrentPrincipal, RequiresAction, type Principal } from '@app/auth';
import type { LogCheckpoint } from '@app/event-store';
import { ApiReadProblems } from '../openapi/api-problems';
import { EventStreamQuery } from './events-stream.dto';
import { EventStreamHub } from './event-stream.hub';
import { SseConnection } from './sse-connection';

const LAST_EVENT_ID = 'Last-Event-ID';

const invalidPosition = (field: string, message: string) =>
  new BadRequestException({
    code: 'HTTP.VALIDATION_FAILED',
    message,
    errors: [{ field, messages: [message] }],
  });

/** A `Last-Event-ID` header: a log position as `?after=` takes it (decimal digits, a safe integer). */
const parseLastEventId = (value: string | undefined): number | undefined => {
  if (value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  const position = /^\d{1,20}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(position))
    throw invalidPosition(
      LAST_EVENT_ID,
      `${LAST_EVENT_ID} must be a log position: a decimal integer from 0 to ${Number.MAX_SAFE_INTEGER}`,
    );
  return position;
};

/** The expiry of the bearer token the guard verified (its `exp`), if it has one. */
const tokenExpiry = (authorization: string | undefined): Date | undefined => {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!token) return undefined;
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === 'number' ? new Date(exp * 1000) : undefined;
  } catch {
    return undefined;
  }
};

/**
 * GET /v1/events/stream: the case events the caller may see, live, as server-sent events
 * (docs/architecture.md, "Live events"; README, "Live events (SSE) for integrations").
 */
@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/events')
export class EventsStreamController {
  constructor(@Inject(EventStreamHub) private readonly hub: EventStreamHub) {}

  @Get('stream')
  @RequiresAction('events.stream')
  @ApiOperation({
    summary: 'The case events the caller may see, live (server-sent events), with progress of the read models',
    description:
      'A `text/event-stream` that stays open. Each case event the caller may see (R3: a support admin their ' +
      "organisation's cases; R4: an agent the cases routed to their vendor; supervisors and auditors all), as " +
      'their audience sees it (customers never see internal notes, routing or escalation reasons): ' +
      '`id: <global position>`, `event: case-event`, `data: {"position","caseId","type","version","occurredAt","data"}`. ' +
      'Once the queues, the case list and the reports include the events sent: `event: progress`, ' +
      '`data: {"position"}` (read them with `?after=<position>`). A `: keep-alive` comment every 15 s. ' +
      'Without `Last-Event-ID` or `?after=`, only events appended from now on. A client that reads too slowly ' +
      'is disconnected and resumes with `Last-Event-ID`; the stream ends when the bearer token expires.',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({
    name: LAST_EVENT_ID,
    required: false,
    description: 'resume after this global position (the last `id` received); wins over `?after=`',
    schema: { type: 'string', pattern: '^[0-9]{1,20}$', example: '1234' },
  })
  @ApiOkResponse({
    description: 'The stream: `case-event` and `progress` events, keep-alive comments; it ends when the server stops.',
    content: {
      'text/event-stream': { schema: { type: 'string', example: 'id: 42\nevent: case-event\ndata: {…}\n\n' } },
    },
  })
  @ApiReadProblems([
    400,
    '`after` or `Last-Event-ID` is not a log position, or names no event of the log (HTTP.VALIDATION_FAILED)',
  ])
  async stream(
    @Query() query: EventStreamQuery,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Headers('authorization') authorization: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const fromHeader = parseLastEventId(lastEventId);
    const position = fromHeader ?? query.after;
    let after: LogCheckpoint | undefined;
    if (position !== undefined) {
      after = await this.hub.checkpointOf(position);
      if (!after) {
        const field = fromHeader === undefined ? 'after' : LAST_EVENT_ID;
        throw invalidPosition(
          field,
          `${field} must be the position of an event of the log; there is none at ${position}`,
        );
      }
    }
    // the answer is ours from here: Fastify sends nothing more
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx and the like: do not buffer the stream
      'x-accel-buffering': 'no',
    });
    const connection = new SseConnection(raw, this.hub.connectionOptions);
    raw.on('close', () => connection.close('client'));
    raw.on('error', () => connection.close('client'));
    const expiresAt = tokenExpiry(authorization);
    if (expiresAt) connection.endAt(expiresAt);
    connection.comment('connected');
    await this.hub.subscribe(principal, connection, after);
  }
}
