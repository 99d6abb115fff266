import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** R15: the answer to the survey e-mail's link. */
export class SurveyAnswerRequest {
  @ApiProperty({ minimum: 1, maximum: 5, description: '1 (not satisfied at all) to 5 (very satisfied)' })
  @IsInt()
  @Min(1)
  @Max(5)
  rating!: number;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class SurveyAnswerResponse {
  @ApiProperty() surveyId!: string;
  @ApiProperty({ minimum: 1, maximum: 5 }) rating!: number;
  @ApiPropertyOptional() comment?: string;
  @ApiProperty({ format: 'date-time' }) answeredAt!: string;
}

export class SurveyStateResponse {
  @ApiProperty() surveyId!: string;
  @ApiProperty({ description: 'the subject of the case the survey is about' }) caseSubject!: string;
  @ApiProperty({ minimum: 1, description: 'the resolution cycle the survey was sent for (R15: 2 after a reopen…)' })
  cycle!: number;
  @ApiProperty({
    description: 'whether this survey was answered (the link works once), whatever happened to the case since',
  })
  answered!: boolean;
  @ApiProperty({
    description: 'a later resolution sent a new survey: this link can no longer be answered (CASE.SURVEY_SUPERSEDED)',
  })
  superseded!: boolean;
  @ApiProperty({ format: 'date-time', description: 'the link stops working then' }) expiresAt!: string;
  @ApiProperty({
    example: 'fr',
    description: "the case's language (BCP 47), the survey e-mail's: the survey page is shown in it",
  })
  language!: string;
}
