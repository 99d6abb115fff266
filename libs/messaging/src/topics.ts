/**
 * Topic names (docs/conventions.md: `<context>.<category>-events.v<N>`, key = aggregate id). The
 * prefix is `KAFKA_TOPIC_PREFIX` (default `support`); tests use a unique one per run.
 */
export interface CaseTopics {
  /** every case and incident event, keyed by case id (incident events: by `incident-<id>`) */
  readonly caseEvents: string;
  /** compacted: the latest summary per case, keyed by case id */
  readonly caseState: string;
}

export const DEFAULT_TOPIC_PREFIX = 'support';

export const caseTopics = (prefix: string = DEFAULT_TOPIC_PREFIX): CaseTopics => ({
  caseEvents: `${prefix}.case-events.v1`,
  caseState: `${prefix}.case-state.v1`,
});
