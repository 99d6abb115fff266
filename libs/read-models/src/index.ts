/**
 * @app/read-models: every read model, as projections of @app/projections' runner:
 * `case_summaries` (the list of cases), `case_queue` (queues per language and priority,
 * R4/R16), the `report_*` tables (the supervisors' reports, docs/metrics.md), `intakes` (the
 * help assistant's intakes, R5–R8: the deflection report and the worker's sweep) and
 * `help_articles` (the help-centre articles and their full-text search, R5), with their
 * queries. Each writes a batch with a few multi-row statements (`applyBatch`); those with one
 * document per stream through `documentProjection` and `rowTable` (docs/projections.md).
 */
export { EventRefused } from './batch-projection';

// case summaries (GET /v1/cases)
export {
  caseSummariesProjection,
  CASE_SUMMARIES_TABLE,
  CaseSummaryMissing,
} from './case-summaries/case-summaries.projection';
export { evolveCaseSummary, type CaseSummary, type CaseSummaryInput } from './case-summaries/case-summary.evolve';
export {
  CaseSummariesRebuilding,
  listCaseSummaries,
  MAX_PAGE,
  type CaseSummaryListOptions,
  type CaseSummaryQuery,
  type CaseSummaryPage,
} from './case-summaries/case-summaries.query';

// queues (R16)
export { caseQueueProjection, CASE_QUEUE_TABLE, QUEUE_CASE_MISSING } from './queues/case-queue.projection';
export {
  evolveQueuedCase,
  isQueued,
  QUEUE_EVENT_TYPES,
  type QueuedCase,
  type QueueInput,
} from './queues/queued-case.evolve';
export {
  casesToReroute,
  compareQueued,
  InvalidQueueCursor,
  InvalidQueueId,
  listQueue,
  MAX_QUEUE_PAGE,
  parseQueueId,
  queueSummaries,
  type QueuePage,
  type QueuePageQuery,
  type QueueScope,
  type QueueSummary,
} from './queues/case-queue.query';

// reports
export {
  caseReportsProjection,
  CASE_REPORTS_PROJECTION,
  REPORT_TABLES,
  REPORT_CASE_MISSING,
  type CaseReportsOptions,
} from './reports/case-reports.projection';
export {
  CYCLE_GROUPING,
  evolveCaseReport,
  type CalendarOf,
  type CaseReport,
  type ReportSla,
} from './reports/case-report.evolve';
export {
  GROUP_BYS,
  REPORT_NAMES,
  REPORTS,
  type GroupBy,
  type ReportDefinition,
  type ReportListItem,
  type ReportName,
  type ReportRow,
  type ReportTable,
  type ReportValue,
} from './reports/report.catalog';
export {
  checkReport,
  CSV_TOTAL,
  reportCsv,
  ReportRequestInvalid,
  runCheckedReport,
  runReport,
  type CheckedReport,
  type ReportParameters,
  type ReportResult,
} from './reports/report.query';

// help assistant intakes (R5–R8): the deflection report, the worker's sweep
export { intakesProjection, INTAKES_PROJECTION, INTAKES_TABLE, INTAKE_ROW_MISSING } from './intakes/intakes.projection';
export { evolveIntakeRow, intakeKeyOf, type IntakeRow, type IntakeRowInput } from './intakes/intake-row.evolve';
export {
  aggregateDeflection,
  DEFLECTION_COLUMNS,
  DEFLECTION_GROUP_BYS,
  deflectionFigures,
  isoWeekOf,
  NO_GROUP,
  TOP_DEFLECTING_ARTICLES,
  type ArticleDeflections,
  type ArticleNeverHelpful,
  type DeflectionAggregate,
  type DeflectionFigures,
  type DeflectionGroupBy,
} from './intakes/deflection.aggregate';
export {
  dueIntakeCounts,
  idleIntakes,
  intakesStartedIn,
  unopenedCaseRequests,
  type DueIntake,
  type DueIntakesQuery,
  type IntakeCursor,
} from './intakes/intakes.query';

// help-centre articles and their search (R5)
export {
  helpArticlesProjection,
  HELP_ARTICLES_TABLE,
  HELP_SEARCH_COUNTS_TABLE,
  HELP_SEARCH_TERMS_TABLE,
  SEARCH_CONFIGURATIONS,
} from './help-articles/help-articles.projection';
export {
  HelpSearchInvalid,
  MAX_HELP_SEARCH_RESULTS,
  searchHelpArticles,
  type HelpSearchHit,
  type HelpSearchQuery,
} from './help-articles/help-search.query';
export {
  foldText,
  MAX_QUERY_WORDS,
  planSearch,
  searchQueryText,
  searchTerms,
  tsqueryText,
  type SearchPlan,
  type TermGroup,
} from './help-articles/search-terms';
export { SEARCH_SYNONYMS, type SynonymList } from './help-articles/search-synonyms';
