import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { SURVEY_TOKENS, surveyTokensFor } from '@app/timers';
import { SurveysController } from './surveys.controller';
import { SurveysService } from './surveys.service';

/** R15: POST /v1/surveys/{token}, the survey e-mail's link (public). */
@Module({
  controllers: [SurveysController],
  providers: [
    SurveysService,
    { provide: SURVEY_TOKENS, inject: [APP_CONFIG], useFactory: (config: AppConfig) => surveyTokensFor(config) },
  ],
})
export class SurveysModule {}
