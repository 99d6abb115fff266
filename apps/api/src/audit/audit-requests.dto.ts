import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ReportQueryDto } from '../reports/report.dto';
import { IsInstantInRange, IsLogPosition } from '../http/validation';

/** ISO 8601 with a time zone: a local time would name a different moment on each server. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;
const INSTANT_MESSAGE = '$property must be an ISO 8601 instant with a time zone, such as 2026-03-02T09:30:00Z';

export class AsOfQuery {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'the moment to replay up to (events recorded at or before it); default now',
  })
  @IsOptional()
  @IsString()
  @Matches(INSTANT, { message: INSTANT_MESSAGE })
  @IsInstantInRange()
  asOf?: string;
}

export class QueueAsOfQuery extends AsOfQuery {
  @ApiPropertyOptional({
    description:
      'only the cases routed to this vendor then (what its agents saw); default every vendor’s, and unrouted ones',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._:-]{0,99}$/)
  vendor?: string;
}

/**
 * GET /v1/reports/{name}'s parameters (but `after`: a replay has no write to wait for, and
 * `to` defaults to asOf), and the moment to replay up to (required).
 */
export class ReportAsOfQuery extends OmitType(ReportQueryDto, ['after', 'to'] as const) {
  @ApiProperty({
    format: 'date-time',
    example: '2026-03-02T12:00:00Z',
    description: 'the moment the report is replayed as of (events recorded at or before it)',
  })
  @IsString()
  @Matches(INSTANT, { message: INSTANT_MESSAGE })
  @IsInstantInRange()
  asOf!: string;
  @ApiPropertyOptional({
    example: '2026-03-02T00:00:00Z',
    description: 'end of the period (exclusive), or the moment of a point-in-time report; default: asOf',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @IsInstantInRange()
  to?: string;
}

export class VerifyQuery {
  @ApiPropertyOptional({
    description: 'verify this stream only (e.g. case-<id>); default every stream and the latest checkpoint',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  stream?: string;
}

export class AuditEventsQuery {
  @ApiPropertyOptional({
    minimum: 0,
    default: 0,
    description: 'the `next` of the previous page: the global position of the last event seen',
  })
  @IsOptional()
  @IsLogPosition()
  after?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
  @ApiPropertyOptional({ description: 'only events of this type, e.g. Opened' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  type?: string;
  @ApiPropertyOptional({ description: "only events whose metadata names this tenant (the customer's organisation)" })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  tenant?: string;
}

export class ExportQuery {
  @ApiPropertyOptional({ format: 'date-time', description: 'recorded at or after' })
  @IsOptional()
  @IsString()
  @Matches(INSTANT, { message: INSTANT_MESSAGE })
  @IsInstantInRange()
  from?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'recorded before' })
  @IsOptional()
  @IsString()
  @Matches(INSTANT, { message: INSTANT_MESSAGE })
  @IsInstantInRange()
  to?: string;
}
