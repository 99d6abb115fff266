import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { GROUP_BYS, REPORT_NAMES } from '@app/read-models';
import { IsInstantInRange, IsLogPosition } from '../http/validation';

export class ReportQueryDto {
  @ApiPropertyOptional({
    example: '2026-03-01T00:00:00Z',
    description: 'start of the period (inclusive); default: 30 days before `to`',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @IsInstantInRange()
  from?: string;
  @ApiPropertyOptional({
    example: '2026-04-01T00:00:00Z',
    description: 'end of the period (exclusive), or the moment of a point-in-time report; default: now',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @IsInstantInRange()
  to?: string;
  @ApiPropertyOptional({ enum: GROUP_BYS, description: 'each report says which it accepts, and its default' })
  @IsOptional()
  @IsIn(GROUP_BYS)
  groupBy?: string;
  @ApiPropertyOptional({
    description: "a write's x-log-position: wait (at most 2 s) until the report includes that write",
  })
  @IsOptional()
  @IsLogPosition()
  after?: number;
}

export class ReportResponse {
  @ApiProperty({ enum: REPORT_NAMES }) report!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ description: 'the metric’s definition (docs/metrics.md)' }) definition!: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'null for a point-in-time report' }) from?: string | null;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ enum: GROUP_BYS }) groupBy!: string;
  @ApiProperty({ type: [String] }) columns!: string[];
  @ApiProperty({ type: 'array', items: { type: 'object' } }) rows!: Record<string, unknown>[];
  @ApiProperty() caughtUp!: boolean;
}

class ReportInfo {
  @ApiProperty({ enum: REPORT_NAMES }) name!: string;
  @ApiProperty() title!: string;
  @ApiProperty() definition!: string;
  @ApiProperty({ enum: GROUP_BYS }) defaultGroupBy!: string;
  @ApiProperty({ enum: GROUP_BYS, isArray: true }) groupBy!: string[];
  @ApiProperty() pointInTime!: boolean;
}

export class ReportListResponse {
  @ApiProperty({ type: [ReportInfo] }) items!: ReportInfo[];
}
