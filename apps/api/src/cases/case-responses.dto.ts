import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CASE_STATUSES, CHANNELS, OUTCOMES, PRIORITIES, WORKAROUNDS } from '@app/case-domain';
import { ImpactDto } from './case-requests.dto';

/** OpenAPI shapes of the answers (documentation only: the bodies come from `toCaseView`). */
class EscalationDto {
  @ApiProperty({ enum: ['product-team', 'third-party', 'supervisor'] }) target!: string;
  @ApiProperty() reason!: string;
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

class ResolutionDto {
  @ApiProperty() summary!: string;
  @ApiPropertyOptional() recommendations?: string;
  @ApiPropertyOptional() featureRequestUrl?: string;
}

class PendingInfoRequestDto {
  @ApiProperty({ isArray: true, enum: ['reproduction-steps', 'troubleshooting', 'logs', 'message-headers'] }) items!: string[];
  @ApiProperty({ format: 'date-time' }) since!: string;
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
  @ApiProperty({ description: 'the customer organisation' }) tenant!: string;
  @ApiProperty() requesterId!: string;
  @ApiPropertyOptional() assigneeId?: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) firstRespondedAt?: string;
  @ApiPropertyOptional({ type: PendingInfoRequestDto }) pendingInfoRequest?: PendingInfoRequestDto;
  @ApiPropertyOptional({ format: 'date-time' }) resolvedAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) closedAt?: string;
  @ApiPropertyOptional({ enum: OUTCOMES }) outcome?: string;
  @ApiPropertyOptional({ type: ResolutionDto }) resolution?: ResolutionDto;
  @ApiPropertyOptional({ format: 'uuid' }) incidentId?: string;
  @ApiProperty({ type: [EscalationDto] }) escalations!: EscalationDto[];
  @ApiProperty() creditRequested!: boolean;
  @ApiPropertyOptional({ type: CreditDto }) credit?: CreditDto;
  @ApiProperty({ type: IncidentReportStateDto }) incidentReport!: IncidentReportStateDto;
  @ApiProperty({ type: SurveyStateDto }) survey!: SurveyStateDto;
  @ApiProperty({ description: 'resolution cycle: 1, then +1 per reopen' }) cycle!: number;
  @ApiProperty({ description: 'stream version, also sent as ETag W/"<version>"' }) version!: number;
}

class CaseSummaryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: CASE_STATUSES }) status!: string;
  @ApiProperty({ enum: PRIORITIES }) priority!: string;
  @ApiProperty() subject!: string;
  @ApiProperty() language!: string;
  @ApiProperty({ enum: CHANNELS }) channel!: string;
  @ApiProperty() tenant!: string;
  @ApiPropertyOptional() assigneeId?: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
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
  @ApiProperty({ type: Object }) data!: Record<string, unknown>;
  @ApiProperty({ type: Object, description: 'actor, tenant, correlationId, idempotencyKey' }) metadata!: Record<string, unknown>;
}

export class CaseEventsResponse {
  @ApiProperty({ type: [RecordedCaseEventDto] }) events!: RecordedCaseEventDto[];
}
