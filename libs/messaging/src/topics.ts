/**
 * Topic names (docs/conventions.md: `<context>.<category>-events.v<N>`, key = aggregate id). The
 * prefix is `KAFKA_TOPIC_PREFIX` (default `support`); tests use a unique one per run.
 */
export interface CaseTopics {
  /** every case and incident event, keyed by case id (incident events: by `incident-<id>`) */
  readonly caseEvents: string;
  /** every help assistant intake event (R5–R8), keyed by intake id */
  readonly intakeEvents: string;
  /** compacted: the latest summary per case, keyed by case id */
  readonly caseState: string;
}

export const DEFAULT_TOPIC_PREFIX = 'support';

export const caseTopics = (prefix: string = DEFAULT_TOPIC_PREFIX): CaseTopics => ({
  caseEvents: `${prefix}.case-events.v1`,
  intakeEvents: `${prefix}.intake-events.v1`,
  caseState: `${prefix}.case-state.v1`,
});

/** Every topic the relay publishes to (and creates at start): for tests and tools that clean up after it. */
export const relayTopicNames = (topics: CaseTopics): string[] => [
  topics.caseEvents,
  topics.intakeEvents,
  topics.caseState,
];
