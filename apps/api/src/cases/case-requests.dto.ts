import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsPositive,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  CHANNELS,
  ESCALATION_TARGETS,
  IMPACT_SCOPES,
  INFO_ITEMS,
  PRIORITIES,
  SERVICE_STATES,
  STAFF_OUTCOMES,
  WORKAROUNDS,
  type Channel,
  type EscalationTarget,
  type ImpactScope,
  type InfoItem,
  type Priority,
  type ServiceState,
  type Workaround,
} from '@app/case-domain';
import { IsLogPosition } from '../http/validation';

/** R12: the outcomes staff choose; `no-customer-answer` is the waiting timer's alone (R11) */
type StaffOutcome = (typeof STAFF_OUTCOMES)[number];

/**
 * Request bodies of the case API (their contract: the OpenAPI document, /docs-json).
 * Validation runs with `whitelist` + `forbidNonWhitelisted`, so an unknown property is a 400.
 * Text limits keep one request well under the 1 MB body limit.
 */
const MESSAGE_MAX = 20_000;
const REASON_MAX = 2_000;

export class ImpactDto {
  @ApiProperty({ enum: SERVICE_STATES }) @IsIn(SERVICE_STATES) serviceState!: ServiceState;
  @ApiProperty({ enum: IMPACT_SCOPES }) @IsIn(IMPACT_SCOPES) scope!: ImpactScope;
  @ApiProperty() @IsBoolean() collaborationHarmed!: boolean;
}

export class OpenCaseRequest {
  @ApiProperty({ maxLength: 200 }) @IsString() @IsNotEmpty() @MaxLength(200) subject!: string;
  @ApiProperty({ maxLength: MESSAGE_MAX }) @IsString() @IsNotEmpty() @MaxLength(MESSAGE_MAX) description!: string;
  @ApiProperty({ maxLength: 100 }) @IsString() @IsNotEmpty() @MaxLength(100) product!: string;
  @ApiProperty({ description: 'BCP 47 language tag (R8)', example: 'fr' })
  @Matches(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { message: 'language must be a BCP 47 tag such as fr or en-GB' })
  language!: string;
  @ApiProperty({ enum: CHANNELS }) @IsIn(CHANNELS) channel!: Channel;
  @ApiProperty({ type: ImpactDto }) @ValidateNested() @Type(() => ImpactDto) impact!: ImpactDto;
  @ApiProperty({ enum: WORKAROUNDS }) @IsIn(WORKAROUNDS) workaround!: Workaround;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() relatedCaseId?: string;
}

export class AssignCaseRequest {
  @ApiPropertyOptional({ description: 'defaults to the caller; a supervisor may name another agent' })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200)
  agentId?: string;
}

export class MessageRequest {
  @ApiProperty({ maxLength: MESSAGE_MAX }) @IsString() @IsNotEmpty() @MaxLength(MESSAGE_MAX) message!: string;
}

export class RequestInfoRequest {
  @ApiProperty({ enum: INFO_ITEMS, isArray: true })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(INFO_ITEMS.length) @ArrayUnique() @IsIn(INFO_ITEMS, { each: true })
  items!: InfoItem[];
  @ApiProperty({ maxLength: MESSAGE_MAX }) @IsString() @IsNotEmpty() @MaxLength(MESSAGE_MAX) message!: string;
}

export class AttachmentDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(255) name!: string;
  @ApiProperty({ minimum: 0 }) @IsInt() @Min(0) size!: number;
  @ApiProperty({ example: 'text/plain' }) @Matches(/^[\w.+-]+\/[\w.+-]+$/, { message: 'contentType must be a media type such as text/plain' })
  contentType!: string;
  @ApiProperty({ description: 'hex SHA-256 of the content' }) @Matches(/^[a-f0-9]{64}$/, { message: 'sha256 must be 64 lowercase hex characters' })
  sha256!: string;
}

export class ProvideInfoRequest {
  @ApiProperty({ maxLength: MESSAGE_MAX }) @IsString() @IsNotEmpty() @MaxLength(MESSAGE_MAX) message!: string;
  @ApiPropertyOptional({ type: [AttachmentDto] })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => AttachmentDto)
  attachments?: AttachmentDto[];
}

/** The customer's reply: text, and the files uploaded to the case (by reference, as in ProvideInfoRequest). */
export class ReplyRequest {
  @ApiProperty({ maxLength: MESSAGE_MAX }) @IsString() @IsNotEmpty() @MaxLength(MESSAGE_MAX) message!: string;
  @ApiPropertyOptional({
    type: [AttachmentDto],
    description: 'files uploaded to the case (POST /v1/cases/{id}/attachments), named as the upload answered',
  })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => AttachmentDto)
  attachments?: AttachmentDto[];
}

export class EscalateRequest {
  @ApiProperty({ enum: ESCALATION_TARGETS }) @IsIn(ESCALATION_TARGETS) target!: EscalationTarget;
  @ApiProperty({ maxLength: REASON_MAX }) @IsString() @IsNotEmpty() @MaxLength(REASON_MAX) reason!: string;
}

export class ChangePriorityRequest {
  @ApiProperty({ enum: PRIORITIES }) @IsIn(PRIORITIES) priority!: Priority;
  @ApiProperty({ maxLength: REASON_MAX }) @IsString() @IsNotEmpty() @MaxLength(REASON_MAX) reason!: string;
}

export class ResolveRequest {
  @ApiProperty({
    enum: STAFF_OUTCOMES,
    description: 'R12; not no-customer-answer, which only the waiting timer records (R11)',
  })
  @IsIn(STAFF_OUTCOMES)
  outcome!: StaffOutcome;
  @ApiProperty({ maxLength: MESSAGE_MAX }) @IsString() @IsNotEmpty() @MaxLength(MESSAGE_MAX) summary!: string;
  @ApiPropertyOptional({ maxLength: MESSAGE_MAX, description: 'required with cannot-reproduce' })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(MESSAGE_MAX)
  recommendations?: string;
  @ApiPropertyOptional({ description: 'with feature-request: where to propose the feature' })
  @IsOptional() @IsUrl({ require_protocol: true, protocols: ['http', 'https'] })
  featureRequestUrl?: string;
}

export class ReasonRequest {
  @ApiProperty({ maxLength: REASON_MAX }) @IsString() @IsNotEmpty() @MaxLength(REASON_MAX) reason!: string;
}

/** The customer's notification e-mails about the case (docs/notifications.md). */
export class NotificationsRequest {
  @ApiProperty({
    description:
      'false: no e-mail about the case’s later events, except the survey and the information requests (and their reminders); true: all again',
  })
  @IsBoolean()
  enabled!: boolean;
}

export class LinkIncidentRequest {
  @ApiProperty({ format: 'uuid' }) @IsUUID() incidentId!: string;
}

export class RequestCreditRequest {
  @ApiPropertyOptional({ maxLength: REASON_MAX }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(REASON_MAX)
  reason?: string;
}

export class IssueCreditRequest {
  @ApiProperty({ example: 250, description: 'in the currency unit, at most 2 decimals' })
  @IsPositive() @Max(1_000_000_000)
  amount!: number;
  @ApiProperty({ example: 'EUR', description: 'ISO 4217 code' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as EUR' })
  currency!: string;
}

export class EmptyRequest {}

export class SendIncidentReportRequest {
  @ApiProperty({ example: 'https://status.example.com/reports/42' })
  @IsUrl({ require_protocol: true, protocols: ['http', 'https'] })
  reportUrl!: string;
}

export class SurveyResponseRequest {
  @ApiProperty({ minimum: 1, maximum: 5 }) @IsInt() @Min(1) @Max(5) rating!: number;
  @ApiPropertyOptional({ maxLength: REASON_MAX }) @IsOptional() @IsString() @MaxLength(REASON_MAX) comment?: string;
}

export class ListCasesQuery {
  @ApiPropertyOptional({ enum: ['open', 'awaiting-customer', 'resolved', 'closed'] })
  @IsOptional() @IsIn(['open', 'awaiting-customer', 'resolved', 'closed'])
  status?: string;
  @ApiPropertyOptional({ enum: PRIORITIES }) @IsOptional() @IsIn(PRIORITIES) priority?: Priority;
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  limit?: number;
  @ApiPropertyOptional({ description: 'the nextCursor of the previous page' })
  @IsOptional() @IsString() @MaxLength(500)
  cursor?: string;
  @ApiPropertyOptional({ description: 'a write\'s x-log-position: wait (at most 2 s) until the list includes that write' })
  @IsOptional() @IsLogPosition()
  after?: number;
}
