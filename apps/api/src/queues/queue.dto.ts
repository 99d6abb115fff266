import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { CASE_STATUSES, PRIORITIES } from '@app/case-domain';
import { IsLogPosition } from '../http/validation';

const AFTER = "a write's x-log-position: wait (at most 2 s) until the queues include that write";

export class QueuesQuery {
  @ApiPropertyOptional({ description: AFTER }) @IsOptional() @IsLogPosition() after?: number;
  @ApiPropertyOptional({
    description: 'supervisors: only the cases routed to this vendor (agents always see their own vendor’s)',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._:-]{0,99}$/)
  vendor?: string;
}

export class QueuePageQuery extends QueuesQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
  @ApiPropertyOptional({ description: 'the nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

export class QueueSummaryResponse {
  @ApiProperty({ example: 'fr-P2' }) id!: string;
  @ApiProperty({ example: 'fr' }) language!: string;
  @ApiProperty({ enum: PRIORITIES }) priority!: string;
  @ApiProperty({ description: 'unassigned open cases in it' }) count!: number;
  @ApiProperty({ description: 'of which an SLA was breached' }) breached!: number;
  @ApiPropertyOptional({ format: 'date-time' }) oldestOpenedAt?: string;
}

export class QueueListResponse {
  @ApiProperty({ type: [QueueSummaryResponse] }) items!: QueueSummaryResponse[];
  @ApiProperty({ description: 'false when `after` was given and the read model had not reached it within 2 s' })
  caughtUp!: boolean;
}

export class QueuedCaseResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() subject!: string;
  @ApiProperty() tenant!: string;
  @ApiProperty() language!: string;
  @ApiProperty({ enum: PRIORITIES }) priority!: string;
  @ApiProperty({ enum: CASE_STATUSES }) status!: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'R10: when the first response is due, if known' })
  firstResponseDueAt?: string;
  @ApiProperty({ description: 'R10: an SLA of the current cycle was breached' }) breached!: boolean;
  @ApiPropertyOptional() vendorId?: string;
}

export class QueuePageResponse {
  @ApiProperty({ example: { id: 'fr-P2', language: 'fr', priority: 'P2' } }) queue!: {
    id: string;
    language: string;
    priority: string;
  };
  @ApiProperty({
    type: [QueuedCaseResponse],
    description: 'breached first, then by priority, then by first-response due time',
  })
  items!: QueuedCaseResponse[];
  @ApiPropertyOptional() nextCursor?: string;
  @ApiProperty() caughtUp!: boolean;
}
