/** What the case handler takes from the app's configuration. */
export interface CaseWriteSettings {
  /** R15: SURVEY_DELAY; with 0 the survey is sent in the same append as the resolution */
  readonly surveyDelayMs: number;
  /** case states kept between writes (default 10,000, about 20 MB); 0 turns the cache off */
  readonly cacheSize?: number;
}

export const CASE_WRITE_SETTINGS = Symbol('CASE_WRITE_SETTINGS');
