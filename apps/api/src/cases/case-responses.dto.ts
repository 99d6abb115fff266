import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CASE_STATUSES, CHANNELS, OUTCOMES, PRIORITIES, ROUTING_REASONS, SLA_CLOCK_STATES, WORKAROUNDS } from '@app/case-domain';
import { ImpactDto } from './case-requests.dto';

/**
 * OpenAPI shapes of the answers (documentation only: the bodies come from `toCaseView`, then
 * `caseViewFor` of case-audience.ts). One schema serves both audiences: the fields only
 * staff see and those only customers see are optional and say so.
 */
const STAFF_ONLY = "staff only (agents, supervisors, auditors): never in a customer's answer";
const CUSTOMERS_ONLY = "in a customer's answer only, where staff are shown by a display name, never their id";

class EscalationDto {
  @ApiProperty({ enum: ['product-team', 'third-party', 'supervisor'] }) target!: string;
  @ApiPropertyOptional({ description: `why; ${STAFF_ONLY}` }) reason?: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiPropertyOptional({ description: STAFF_ONLY }) byId?: string;
  @ApiPropertyOptional({ example: 'Support agent', description: `who escalated; ${CUSTOMERS_ONLY}` }) byName?: string;
}

class InternalNoteDto {
  @ApiProperty() message!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() byId!: string;
}

class CreditDto {
  @ApiProperty() amount!: number;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty({ format: 'date-time' }) issuedAt!: string;
}

class IncidentReportStateDto {
  @ApiProperty() requested!: boolean;
  @ApiProperty() sent!: boolean;
  @ApiPropertyOptional({ format: 'date-time' }) requestedAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) sentAt?: string;
  @ApiPropertyOptional() reportUrl?: string;
}

class SurveyStateDto {
  @ApiProperty() sent!: boolean;
  @ApiProperty() answered!: boolean;
  @ApiPropertyOptional() surveyId?: string;
  @ApiPropertyOptional({ format: 'date-time' }) sentAt?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 5 }) rating?: number;
  @ApiPropertyOptional() comment?: string;
  @ApiPropertyOptional({ format: 'date-time' }) answeredAt?: string;
}

class NotificationsStateDto {
  @ApiProperty({ description: "false: the customer turned the case's notification e-mails off (PUT /v1/cases/{id}/notifications)" })
  enabled!: boolean;
}

class ResolutionDto {
  @ApiProperty() summary!: string;
  @ApiPropertyOptional() recommendations?: string;
  @ApiPropertyOptional() featureRequestUrl?: string;
}

class PendingInfoRequestDto {
  @ApiProperty({ isArray: true, enum: ['reproduction-steps', 'troubleshooting', 'logs', 'message-headers'] }) items!: string[];
  @ApiProperty({ format: 'date-time', description: 'when the wait began (R11)' }) since!: string;
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'when the customer was reminded of this wait (WAITING_REMINDER business days into it; once per wait)',
  })
  remindedAt?: string;
}

class SlaTermsDto {
  @ApiProperty({ example: 'europe-paris', description: 'the calendar of the customer region, fixed at opening' }) calendarId!: string;
  @ApiProperty({ oneOf: [{ type: 'integer' }, { type: 'string' }] }) calendarVersion!: number | string;
  @ApiProperty({ oneOf: [{ type: 'integer' }, { type: 'string' }] }) policyVersion!: number | string;
  @ApiPropertyOptional({ example: 'emea' }) region?: string;
  @ApiProperty({ description: 'ms of business time' }) firstResponseTargetMs!: number;
  @ApiProperty({ format: 'date-time' }) firstResponseDueAt!: string;
}

class SlaComputedWithDto {
  @ApiProperty() calendarId!: string;
  @ApiProperty({ oneOf: [{ type: 'integer' }, { type: 'string' }] }) calendarVersion!: number | string;
  @ApiProperty({ oneOf: [{ type: 'integer' }, { type: 'string' }] }) policyVersion!: number | string;
}

class SlaClockDto {
  @ApiProperty({ enum: SLA_CLOCK_STATES }) state!: string;
  @ApiProperty({ description: 'business time the clock has run so far, ms (waiting on the customer excluded)' }) usedMs!: number;
  @ApiPropertyOptional({ description: 'the target of the priority, ms of business time; absent: no target' }) targetMs?: number;
  @ApiPropertyOptional({ description: 'business time left within the target, ms' }) remainingMs?: number;
  @ApiPropertyOptional({ format: 'date-time', description: 'the last instant within the target; absent while paused' }) dueAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) stoppedAt?: string;
  @ApiPropertyOptional({ description: 'when breached: whether a SlaBreached event records it' }) breachRecorded?: boolean;
}

class SlaCycleDto {
  @ApiProperty() cycle!: number;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) resolvedAt?: string;
  @ApiProperty({ type: SlaClockDto }) firstResponse!: SlaClockDto;
  @ApiProperty({ type: SlaClockDto }) resolution!: SlaClockDto;
  @ApiProperty({ description: 'business time this cycle waited on the customer, ms' }) waitingOnCustomerMs!: number;
}

class WaitingOnCustomerDto {
  @ApiProperty({ description: 'business time, ms' }) businessMs!: number;
  @ApiProperty({ description: 'elapsed (wall-clock) time, ms' }) elapsedMs!: number;
  @ApiProperty({ description: 'information requests that made the case wait' }) count!: number;
  @ApiPropertyOptional({ format: 'date-time', description: 'while waiting: since when' }) since?: string;
}

class SlaDto {
  @ApiPropertyOptional({ type: SlaTermsDto, description: 'as recorded in Opened' }) terms?: SlaTermsDto;
  @ApiProperty({ type: SlaComputedWithDto, description: 'the calendar and policy versions these figures were computed with' })
  computedWith!: SlaComputedWithDto;
  @ApiProperty() cycle!: number;
  @ApiProperty({ type: SlaClockDto, description: "the current cycle's first-response clock (R10)" }) firstResponse!: SlaClockDto;
  @ApiProperty({ type: SlaClockDto, description: "the current cycle's resolution clock, paused while waiting on the customer" })
  resolution!: SlaClockDto;
  @ApiProperty({ type: WaitingOnCustomerDto, description: 'R11: the whole case' }) waitingOnCustomer!: WaitingOnCustomerDto;
  @ApiProperty({ type: [SlaCycleDto], description: 'every resolution cycle; an ended cycle never changes (R15)' }) cycles!: SlaCycleDto[];
}

class CaseRoutingDto {
  @ApiPropertyOptional({ example: 'north-desk', description: 'the vendor whose agents see the case; absent when no vendor speaks its language' })
  vendorId?: string;
  @ApiProperty({ example: 'fr-P2', description: 'the queue it is in now: <language>-<priority>' }) queueId!: string;
  @ApiProperty({ enum: ROUTING_REASONS }) reason!: string;
  @ApiProperty({ format: 'date-time' }) routedAt!: string;
}

export class CaseViewResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: CASE_STATUSES }) status!: string;
  @ApiProperty({ enum: PRIORITIES }) priority!: string;
  @ApiProperty() subject!: string;
  @ApiProperty() description!: string;
  @ApiProperty() product!: string;
  @ApiProperty({ example: 'fr' }) language!: string;
  @ApiProperty({ enum: CHANNELS }) channel!: string;
  @ApiProperty({ type: ImpactDto }) impact!: ImpactDto;
  @ApiProperty({ enum: WORKAROUNDS }) workaround!: string;
  @ApiPropertyOptional({ format: 'uuid' }) relatedCaseId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'the help assistant intake that asked for the case' })
  intakeId?: string;
  @ApiProperty({ description: 'the customer organisation' }) tenant!: string;
  @ApiProperty() requesterId!: string;
  @ApiPropertyOptional({ description: STAFF_ONLY }) assigneeId?: string;
  @ApiPropertyOptional({ example: 'Eve Martin', description: `who holds the case; ${CUSTOMERS_ONLY}` })
  assigneeName?: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) firstRespondedAt?: string;
  @ApiPropertyOptional({ type: PendingInfoRequestDto }) pendingInfoRequest?: PendingInfoRequestDto;
  @ApiPropertyOptional({ format: 'date-time' }) resolvedAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) closedAt?: string;
  @ApiPropertyOptional({ enum: OUTCOMES }) outcome?: string;
  @ApiPropertyOptional({ type: ResolutionDto }) resolution?: ResolutionDto;
  @ApiPropertyOptional({ format: 'uuid' }) incidentId?: string;
  @ApiProperty({ type: [EscalationDto], description: 'R13; customers see that it happened, not why' })
  escalations!: EscalationDto[];
  @ApiPropertyOptional({ type: [InternalNoteDto], description: `staff's internal notes, oldest first; ${STAFF_ONLY}` })
  notes?: InternalNoteDto[];
  @ApiProperty() creditRequested!: boolean;
  @ApiPropertyOptional({ type: CreditDto }) credit?: CreditDto;
  @ApiProperty({ type: IncidentReportStateDto }) incidentReport!: IncidentReportStateDto;
  @ApiProperty({ type: SurveyStateDto }) survey!: SurveyStateDto;
  @ApiProperty({ type: NotificationsStateDto, description: "the customer's notification e-mails about the case (docs/notifications.md)" })
  notifications!: NotificationsStateDto;
  @ApiProperty({ description: 'resolution cycle: 1, then +1 per reopen' }) cycle!: number;
  @ApiPropertyOptional({ type: SlaDto, description: 'R10/R11: the SLA clocks at the time of the answer (docs/sla.md)' }) sla?: SlaDto;
  @ApiPropertyOptional({
    type: CaseRoutingDto,
    description: `R4/R16: where the case is routed (docs/routing.md); ${STAFF_ONLY}`,
  })
  routing?: CaseRoutingDto;
  @ApiProperty({ description: 'stream version, also sent as ETag W/"<version>"' }) version!: number;
}

class CaseSummaryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: CASE_STATUSES }) status!: string;
  @ApiProperty({ enum: PRIORITIES }) priority!: string;
  @ApiProperty() subject!: string;
  @ApiProperty() product!: string;
  @ApiProperty() language!: string;
  @ApiProperty({ enum: CHANNELS }) channel!: string;
  @ApiProperty() tenant!: string;
  @ApiProperty() requesterId!: string;
  @ApiPropertyOptional({ description: STAFF_ONLY }) assigneeId?: string;
  @ApiPropertyOptional({
    example: 'Support agent',
    description: `someone holds the case; ${CUSTOMERS_ONLY} (here always the neutral label)`,
  })
  assigneeName?: string;
  @ApiPropertyOptional({ format: 'uuid' }) incidentId?: string;
  @ApiPropertyOptional({ enum: OUTCOMES }) outcome?: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) resolvedAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) closedAt?: string;
  @ApiProperty() cycle!: number;
  @ApiProperty() version!: number;
}

export class CaseListResponse {
  @ApiProperty({ type: [CaseSummaryDto] }) items!: CaseSummaryDto[];
  @ApiPropertyOptional({ description: 'pass as ?cursor= for the next page; absent on the last page' }) nextCursor?: string;
}

class RecordedCaseEventDto {
  @ApiProperty({ example: 'Opened' }) type!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({
    type: Object,
    description:
      "the event's data. Customers: staff ids become display names (byName, agentName, previousAgentName), no escalation reason, no routing vendors or candidates",
  })
  data!: Record<string, unknown>;
  @ApiProperty({
    type: Object,
    description:
      "actor, tenant, correlationId, idempotencyKey. Customers: of staff's events only actor {role, name} and tenant",
  })
  metadata!: Record<string, unknown>;
}

export class CaseEventsResponse {
  @ApiProperty({
    type: [RecordedCaseEventDto],
    description: "oldest first; a customer's list leaves internal notes out (its versions then skip one)",
  })
  events!: RecordedCaseEventDto[];
}
