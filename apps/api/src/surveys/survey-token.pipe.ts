import { Injectable, type PipeTransform } from '@nestjs/common';
import { InvalidSurveyToken } from '@app/timers';

/** A JWT in compact form, and not absurdly long: anything else is not a survey link. */
const COMPACT_JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

@Injectable()
export class SurveyTokenPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || value.length > 2048 || !COMPACT_JWT.test(value))
      throw new InvalidSurveyToken('not a compact JWT');
    return value;
  }
}
