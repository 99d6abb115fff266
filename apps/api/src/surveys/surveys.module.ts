import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { SURVEY_TOKENS, surveyTokensFor } from '@app/timers';
import { DescribeSurveyHandler } from './survey.queries';
import { SurveysController } from './surveys.controller';

/** R15: GET and POST /v1/surveys/{token}, the survey e-mail's link (public). */
@Module({
  controllers: [SurveysController],
  providers: [
    DescribeSurveyHandler,
    { provide: SURVEY_TOKENS, inject: [APP_CONFIG], useFactory: (config: AppConfig) => surveyTokensFor(config) },
  ],
})
export class SurveysModule {}
