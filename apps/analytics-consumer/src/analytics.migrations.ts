import type { Migration } from '@app/event-store';

/** The analytics consumer's own tables (component `analytics`), in its own database. */
export const ANALYTICS_COMPONENT = 'analytics';

/** Tables a rebuild empties (every table of the component). */
export const ANALYTICS_TABLES = [
  'analytics_offsets',
  'analytics_processed_events',
  'analytics_rejected_messages',
  'analytics_cases',
  'analytics_first_responses',
  'analytics_sla_breaches',
  'analytics_daily_metrics',
  'analytics_daily_resolutions',
] as const;

export const ANALYTICS_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'daily-metrics',
    sql: `
-- Where each partition stands: the offset of the next message to apply. Written in the
-- transaction that applies the messages, so tables and offsets never disagree.
CREATE TABLE analytics_offsets (
  topic text NOT NULL,
  partition integer NOT NULL,
  next_offset bigint NOT NULL,
  PRIMARY KEY (topic, partition)
);
-- Delivery is at-least-once: an event id seen before is skipped.
CREATE TABLE analytics_processed_events (
  event_id text PRIMARY KEY,
  topic text NOT NULL,
  partition integer NOT NULL,
  "offset" bigint NOT NULL
);
-- Messages that are not an envelope this consumer can read: kept aside, not retried.
CREATE TABLE analytics_rejected_messages (
  topic text NOT NULL,
  partition integer NOT NULL,
  "offset" bigint NOT NULL,
  reason text NOT NULL,
  PRIMARY KEY (topic, partition, "offset")
);
-- What the metrics need to remember of a case: its tenant, cycle, and whether an SLA measures it.
CREATE TABLE analytics_cases (
  case_id text PRIMARY KEY,
  tenant text NOT NULL,
  cycle integer NOT NULL,
  sla_tracked boolean NOT NULL
);
-- The first agent response of each resolution cycle.
CREATE TABLE analytics_first_responses (
  case_id text NOT NULL,
  cycle integer NOT NULL,
  tenant text NOT NULL,
  day date NOT NULL,
  responded_at timestamptz NOT NULL,
  within_sla boolean,
  PRIMARY KEY (case_id, cycle)
);
CREATE TABLE analytics_sla_breaches (
  case_id text NOT NULL,
  cycle integer NOT NULL,
  clock text NOT NULL,
  day date NOT NULL,
  PRIMARY KEY (case_id, cycle, clock)
);
-- Daily metrics per tenant (day = the UTC date of the event's occurredAt).
CREATE TABLE analytics_daily_metrics (
  day date NOT NULL,
  tenant text NOT NULL,
  cases_opened integer NOT NULL DEFAULT 0,
  first_responses integer NOT NULL DEFAULT 0,
  first_responses_with_sla integer NOT NULL DEFAULT 0,
  first_responses_within_sla integer NOT NULL DEFAULT 0,
  resolutions integer NOT NULL DEFAULT 0,
  csat_responses integer NOT NULL DEFAULT 0,
  csat_rating_sum integer NOT NULL DEFAULT 0,
  csat_satisfied integer NOT NULL DEFAULT 0,
  PRIMARY KEY (day, tenant)
);
CREATE TABLE analytics_daily_resolutions (
  day date NOT NULL,
  tenant text NOT NULL,
  outcome text NOT NULL,
  resolutions integer NOT NULL,
  PRIMARY KEY (day, tenant, outcome)
);
-- The figures a report shows, derived from the counters.
CREATE VIEW analytics_daily_report AS
SELECT day, tenant, cases_opened, first_responses, first_responses_with_sla, first_responses_within_sla,
       round(100.0 * first_responses_within_sla / NULLIF(first_responses_with_sla, 0), 1) AS first_response_sla_percent,
       resolutions, csat_responses,
       round(csat_rating_sum::numeric / NULLIF(csat_responses, 0), 2) AS csat_average,
       round(100.0 * csat_satisfied / NULLIF(csat_responses, 0), 1) AS csat_percent
FROM analytics_daily_metrics;`,
  },
];
