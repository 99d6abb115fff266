import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { DEFLECTION_GROUP_BYS, GROUP_BYS, REPORT_NAMES } from '@app/read-models';
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
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'the same figures over every group, for the reports that have one (deflection)',
  })
  total?: Record<string, unknown>;
  @ApiProperty() caughtUp!: boolean;
}

/** GET /v1/reports/deflection: the groupings the deflection report takes. */
export class DeflectionQueryDto extends OmitType(ReportQueryDto, ['groupBy'] as const) {
  @ApiPropertyOptional({
    enum: DEFLECTION_GROUP_BYS,
    default: 'product',
    description:
      'the product the intake started with, its language, the article that deflected it ((none) for the others), the ISO week (UTC) it started in, or none',
  })
  @IsOptional()
  @IsIn(DEFLECTION_GROUP_BYS)
  groupBy?: string;
}

class ArticleDeflectionsView {
  @ApiProperty() articleId!: string;
  @ApiProperty({ description: 'intakes of the group this article ended' }) deflections!: number;
}

class ArticleNeverHelpfulView {
  @ApiProperty() articleId!: string;
  @ApiProperty({ description: 'intakes of the group that showed it' }) intakesShown!: number;
}

class DeflectionFiguresView {
  @ApiProperty({ description: 'intakes started in [from, to)' }) intakes!: number;
  @ApiProperty({ description: 'an article it suggested solved the problem (R5)' }) deflected!: number;
  @ApiProperty({ description: 'the problem was that of a recent case (R6)' }) attachedToRecentCase!: number;
  @ApiProperty({ description: 'the admin asked for a case (R7, R8)' }) casesOpened!: number;
  @ApiProperty({ description: 'ended after INTAKE_ABANDON_AFTER without action' }) abandoned!: number;
  @ApiProperty({ description: 'none of these yet' }) stillOpen!: number;
  @ApiProperty({
    type: 'number',
    nullable: true,
    description: 'deflected / intakes, from 0 to 1, not rounded; null for no intakes',
  })
  deflectionRate!: number | null;
  @ApiProperty({ type: [ArticleDeflectionsView], description: 'most deflections first, at most 10' })
  topDeflectingArticles!: ArticleDeflectionsView[];
  @ApiProperty({
    type: [ArticleNeverHelpfulView],
    description: 'shown in at least one intake of the group, deflecting none of them; most shown first',
  })
  articlesNeverHelpful!: ArticleNeverHelpfulView[];
}

class DeflectionRowView extends DeflectionFiguresView {
  @ApiPropertyOptional({ description: 'the group (groupBy=product)' }) product?: string;
  @ApiPropertyOptional({ description: 'the group (groupBy=language)' }) language?: string;
  @ApiPropertyOptional({ description: 'the group (groupBy=article): the deflecting article, or (none)' })
  article?: string;
  @ApiPropertyOptional({ description: 'the group (groupBy=week): ISO week of the start, UTC', example: '2026-W10' })
  week?: string;
}

export class DeflectionReportResponse {
  @ApiProperty({ enum: ['deflection'] }) report!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ description: 'the definition of every figure (docs/metrics.md)' }) definition!: string;
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ enum: DEFLECTION_GROUP_BYS }) groupBy!: string;
  @ApiProperty({ type: [String] }) columns!: string[];
  @ApiProperty({ type: [DeflectionRowView], description: 'one per group with at least one intake' })
  rows!: DeflectionRowView[];
  @ApiProperty({ type: DeflectionFiguresView, description: 'the same figures over every intake of the period' })
  total!: DeflectionFiguresView;
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
