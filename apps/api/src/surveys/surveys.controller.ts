import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '@app/auth';
import { SurveyAnswerRequest, SurveyAnswerResponse, SurveyStateResponse } from './survey.dto';
import { SurveysService } from './surveys.service';
import { SurveyTokenPipe } from './survey-token.pipe';

const tokenParam = ApiParam({ name: 'token', description: "the signed token of the survey e-mail's link" });

/** R15: the satisfaction survey, reached from the e-mail's link without a login. */
@ApiTags('surveys')
@Public()
@Controller('v1/surveys')
export class SurveysController {
  constructor(private readonly surveys: SurveysService) {}

  @Get(':token')
  @tokenParam
  @ApiOperation({ summary: 'What the survey link is about, and whether it was answered (records nothing)' })
  @ApiOkResponse({ type: SurveyStateResponse })
  @ApiNotFoundResponse({ description: 'an invalid or expired link (SURVEY.INVALID_LINK)' })
  describe(@Param('token', SurveyTokenPipe) token: string) {
    return this.surveys.describe(token);
  }

  @Post(':token')
  @HttpCode(200)
  @tokenParam
  @ApiOperation({ summary: 'Answer the survey: a rating from 1 to 5 and a comment; the link works once' })
  @ApiOkResponse({ type: SurveyAnswerResponse })
  @ApiNotFoundResponse({ description: 'an invalid or expired link (SURVEY.INVALID_LINK)' })
  @ApiConflictResponse({
    description: 'answered already (CASE.SURVEY_ALREADY_ANSWERED), or replaced by a later survey',
  })
  answer(
    @Param('token', SurveyTokenPipe) token: string,
    @Body() body: SurveyAnswerRequest,
    @Req() req: FastifyRequest,
  ) {
    return this.surveys.answer(token, body, String(req.id));
  }
}
