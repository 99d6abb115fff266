import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateNested } from 'class-validator';
import {
  CHANNELS,
  INTAKE_STATUSES,
  MAX_INTAKE_TEXT,
  WORKAROUNDS,
  type Channel,
  type IntakeStatus,
  type Workaround,
} from '@app/case-domain';
import { ImpactDto } from '../cases/case-requests.dto';

const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const LANGUAGE_MESSAGE = 'language must be a BCP 47 tag such as fr or en-GB';
const ID = /^[a-z0-9][a-z0-9._:-]{0,99}$/;

/** Request bodies of the help assistant (R5–R8); unknown properties are refused (400). */
export class StartIntakeRequest {
  @ApiProperty({ maxLength: MAX_INTAKE_TEXT, description: 'the problem, in the admin’s words (R5)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_INTAKE_TEXT)
  description!: string;
  @ApiPropertyOptional({ example: 'cloud-identity', description: 'narrows the articles to this product' })
  @IsOptional()
  @Matches(ID, { message: 'product must be a lower-case id such as cloud-identity' })
  product?: string;
  @ApiProperty({
    example: 'fr',
    description: 'the admin’s language: articles in it come first (fr, en; others read English)',
  })
  @Matches(LANGUAGE, { message: LANGUAGE_MESSAGE })
  language!: string;
}

export class SearchAgainRequest {
  @ApiProperty({ maxLength: MAX_INTAKE_TEXT }) @IsString() @IsNotEmpty() @MaxLength(MAX_INTAKE_TEXT) query!: string;
}

export class DeflectionRequest {
  @ApiProperty({ description: 'the suggested article that solved the problem' })
  @Matches(/^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$/, { message: 'articleId must be an article id' })
  articleId!: string;
}

export class RecentCaseRequest {
  @ApiProperty({ format: 'uuid' }) @IsUUID() caseId!: string;
  @ApiProperty({ maxLength: 20_000, description: 'goes onto that case as the customer’s message' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(20_000)
  message!: string;
}

export class ProblemRequest {
  @ApiProperty({ example: 'sso', description: 'the problem category the admin picked' })
  @Matches(ID, { message: 'problemCategory must be a lower-case id such as sso' })
  problemCategory!: string;
}

export class IntakeCaseRequest {
  @ApiProperty({ maxLength: 200 }) @IsString() @IsNotEmpty() @MaxLength(200) subject!: string;
  @ApiProperty({ maxLength: 20_000 }) @IsString() @IsNotEmpty() @MaxLength(20_000) description!: string;
  @ApiPropertyOptional({ description: 'default: the product the intake named' })
  @IsOptional()
  @Matches(ID, { message: 'product must be a lower-case id such as cloud-identity' })
  product?: string;
  @ApiProperty({ enum: CHANNELS, description: 'R8: chat or e-mail' }) @IsIn(CHANNELS) channel!: Channel;
  @ApiProperty({ example: 'fr', description: 'R8: the language of the case' })
  @Matches(LANGUAGE, { message: LANGUAGE_MESSAGE })
  language!: string;
  @ApiProperty({ type: ImpactDto }) @ValidateNested() @Type(() => ImpactDto) impact!: ImpactDto;
  @ApiProperty({ enum: WORKAROUNDS }) @IsIn(WORKAROUNDS) workaround!: Workaround;
}

export class SuggestionResponse {
  @ApiProperty() articleId!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ example: '/v1/help/articles/sso-saml-errors-en' }) url!: string;
  @ApiProperty({ description: 'the search rank (higher is better)' }) score!: number;
  @ApiProperty({ description: 'the article’s revision shown' }) version!: number;
}

export class RecentCaseResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() subject!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
}

export class IntakeViewResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: INTAKE_STATUSES }) status!: IntakeStatus;
  @ApiProperty() description!: string;
  @ApiPropertyOptional() product?: string;
  @ApiProperty() language!: string;
  @ApiProperty({ type: [SuggestionResponse], description: 'the latest suggestion, best first' })
  suggestions!: SuggestionResponse[];
  @ApiProperty({ type: [RecentCaseResponse], description: 'R6: the organisation’s recent cases, most similar first' })
  recentCases!: RecentCaseResponse[];
  @ApiProperty({ description: 'how many times the admin searched again' }) searches!: number;
  @ApiPropertyOptional() problemCategory?: string;
  @ApiPropertyOptional({ description: 'deflected: the article that solved it, and its revision' })
  deflectedBy?: { articleId: string; articleVersion: number };
  @ApiPropertyOptional({ format: 'uuid', description: 'attached or case-requested: the case' })
  caseId?: string;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) endedAt?: string;
  @ApiProperty({ description: 'the intake stream’s version (ETag)' }) version!: number;
}
