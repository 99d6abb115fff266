import {
  caseIdFromStreamId,
  intakeIdFromStreamId,
  type CaseEventOf,
  type Instant,
  type IntakeEvent,
  type IntakeStatus,
} from '@app/case-domain';

/**
 * One row of `intakes`: a help assistant intake (R5–R8) as the deflection report
 * (docs/metrics.md) and the worker's intake sweep read it. Folded from the intake's own
 * stream (`intake-<id>`) and from the `Opened` of the case it asked for (a `case-` stream
 * whose `Opened` names the intake). Pure: time comes from the events, so a rebuild, and a
 * replay as of a past moment (libs/audit), give exactly the rows the live projection wrote.
 */
export interface IntakeRow {
  readonly intakeId: string;
  /**
   * `not-started`: only the case's `Opened` has been folded so far (a replay reads the
   * `case-` streams before the `intake-` ones; in the live log the intake comes first)
   */
  readonly status: IntakeStatus | 'not-started';
  /** R3: the admin's organisation; null until `IntakeStarted` is folded */
  readonly tenant: string | null;
  /** the product the intake started with, lower-cased; null when none was named */
  readonly product: string | null;
  readonly language: string | null;
  readonly startedAt: Instant | null;
  /** when it ended (deflected, attached, case requested, abandoned); null while suggesting */
  readonly endedAt: Instant | null;
  /** R5: the article that solved it, at the revision the admin was shown */
  readonly deflectingArticleId: string | null;
  readonly deflectingArticleVersion: number | null;
  /** R6: the recent case it was attached to; R8: the case it asked for */
  readonly caseId: string | null;
  /** true once the `Opened` of a case naming this intake is in the log */
  readonly caseOpened: boolean;
  /** the intake's last action (`Abandoned` is not one: it records `idleSince`) */
  readonly lastActivityAt: Instant | null;
  /** every article any of its suggestions showed (the first one and each "search again"), sorted, once each */
  readonly articlesShown: readonly string[];
  /** version of the intake's stream folded in so far: the idempotency guard (0: none yet) */
  readonly version: number;
}

/** What the fold reads of a recorded event: the domain event, its stream and its place there. */
export interface IntakeRowInput {
  readonly type: string;
  readonly data: unknown;
  readonly streamId: string;
  readonly streamVersion: number;
}

/**
 * The intake a recorded event belongs to: the id of its `intake-` stream, or the `intakeId`
 * an `Opened` of a `case-` stream names; null for any other event.
 */
export const intakeKeyOf = (event: IntakeRowInput): string | null => {
  const own = intakeIdFromStreamId(event.streamId);
  if (own !== null) return own;
  if (event.type !== 'Opened' || caseIdFromStreamId(event.streamId) === null) return null;
  const intakeId = (event.data as Partial<CaseEventOf<'Opened'>['data']> | null)?.intakeId;
  return typeof intakeId === 'string' && intakeId !== '' ? intakeId : null;
};

const blank = (intakeId: string): IntakeRow => ({
  intakeId,
  status: 'not-started',
  tenant: null,
  product: null,
  language: null,
  startedAt: null,
  endedAt: null,
  deflectingArticleId: null,
  deflectingArticleVersion: null,
  caseId: null,
  caseOpened: false,
  lastActivityAt: null,
  articlesShown: [],
  version: 0,
});

const union = (shown: readonly string[], more: readonly string[]): string[] =>
  [...new Set([...shown, ...more])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * Folds one event into its intake's row (`row` null: none yet). Returns:
 * - the same row for an event it has nothing to do with, or one already folded (an intake
 *   event whose `streamVersion` is not above the row's `version`; an `Opened` again);
 * - null for a hole: an event of an intake whose `IntakeStarted` was never folded (the
 *   projection parks it with the rest of its stream).
 * An intake event type it does not know (a newer release's) only moves the version.
 */
export const evolveIntakeRow = (row: IntakeRow | null, event: IntakeRowInput): IntakeRow | null => {
  const intakeId = intakeKeyOf(event);
  if (intakeId === null) return row;
  const doc = row ?? blank(intakeId);
  if (event.type === 'Opened' && intakeIdFromStreamId(event.streamId) === null) {
    if (doc.caseOpened) return doc;
    const caseId = caseIdFromStreamId(event.streamId);
    return { ...doc, caseOpened: true, caseId: doc.caseId ?? caseId };
  }
  if (event.streamVersion <= doc.version) return doc;
  const e = event as unknown as IntakeEvent;
  if (e.type === 'IntakeStarted') {
    const d = e.data;
    return {
      ...doc,
      status: 'suggesting',
      tenant: d.tenant,
      product: d.product ?? null,
      language: d.language,
      startedAt: d.at,
      lastActivityAt: d.at,
      version: event.streamVersion,
    };
  }
  if (doc.status === 'not-started') return null;
  const next: IntakeRow = { ...doc, version: event.streamVersion };
  switch (e.type) {
    case 'ArticlesSuggested':
      return {
        ...next,
        articlesShown: union(
          doc.articlesShown,
          e.data.suggestions.map((s) => s.articleId),
        ),
        lastActivityAt: e.data.at,
      };
    case 'SearchRepeated':
    case 'RecentCasesOffered':
    case 'ProblemDescribed':
    case 'StillNeedsHelp':
      return { ...next, lastActivityAt: e.data.at };
    case 'Deflected':
      return {
        ...next,
        status: 'deflected',
        deflectingArticleId: e.data.articleId,
        deflectingArticleVersion: e.data.articleVersion,
        endedAt: e.data.at,
        lastActivityAt: e.data.at,
      };
    case 'AttachedToRecentCase':
      return { ...next, status: 'attached', caseId: e.data.caseId, endedAt: e.data.at, lastActivityAt: e.data.at };
    case 'CaseRequested':
      return {
        ...next,
        status: 'case-requested',
        caseId: e.data.caseId,
        endedAt: e.data.at,
        lastActivityAt: e.data.at,
      };
    case 'Abandoned':
      return { ...next, status: 'abandoned', endedAt: e.data.at };
    default:
      return next;
  }
};
