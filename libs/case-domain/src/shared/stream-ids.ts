import { InvalidCommand } from './domain-rule-violation';

/**
 * Stream ids are `<category>-<id>` (docs/conventions.md naming), built here and nowhere else so that
 * projections and the Kafka relay can rely on the category prefix.
 */
export const CASE_STREAM_CATEGORY = 'case';
export const INCIDENT_STREAM_CATEGORY = 'incident';
// SlaBreached needs no stream of its own: it is a case event (R10).

const streamId = (category: string, id: string): string => {
  if (typeof id !== 'string' || id.trim() === '') throw new InvalidCommand(`${category} id`, 'must not be empty');
  return `${category}-${id}`;
};

const idFrom = (category: string, stream: string): string | null =>
  stream.startsWith(`${category}-`) && stream.length > category.length + 1 ? stream.slice(category.length + 1) : null;

export const toCaseStreamId = (caseId: string): string => streamId(CASE_STREAM_CATEGORY, caseId);
export const toIncidentStreamId = (incidentId: string): string => streamId(INCIDENT_STREAM_CATEGORY, incidentId);

/** The case id inside `case-<id>`, or null for a stream of another category. */
export const caseIdFromStreamId = (stream: string): string | null => idFrom(CASE_STREAM_CATEGORY, stream);
export const incidentIdFromStreamId = (stream: string): string | null => idFrom(INCIDENT_STREAM_CATEGORY, stream);
