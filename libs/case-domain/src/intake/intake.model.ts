import type { Actor } from '../shared/decider';
import { InvalidCommand } from '../shared/domain-rule-violation';
import type { Channel, Impact, Requester, Workaround } from '../case/case.types';

/**
 * The help assistant before a case exists (R5–R8, "Getting help before a case exists" in
 * docs/domain-model.md): one intake session per stream `intake-<id>`. It records what the
 * assistant offered (articles with their revision and score, recent cases) and what the
 * admin did, and ends once, in one of four ways:
 *
 * - `deflected`: an article it suggested solved the problem (R5), no case;
 * - `attached`: the problem is that of a recent case (R6), the message went onto it, no case;
 * - `case-requested`: the admin still needed help (R7) and asked for a case (R8); the case's
 *   `Opened` names the intake;
 * - `abandoned`: nothing happened for the configured time (a sweep of the worker).
 *
 * The deflection report counts these events, so its figures are exact.
 */
export const INTAKE_STREAM_CATEGORY = 'intake';

export const toIntakeStreamId = (intakeId: string): string => {
  if (typeof intakeId !== 'string' || intakeId.trim() === '') throw new InvalidCommand('intakeId', 'must not be empty');
  return `${INTAKE_STREAM_CATEGORY}-${intakeId}`;
};

/** The intake id inside `intake-<id>`, or null for a stream of another category. */
export const intakeIdFromStreamId = (stream: string): string | null =>
  stream.startsWith(`${INTAKE_STREAM_CATEGORY}-`) && stream.length > INTAKE_STREAM_CATEGORY.length + 1
    ? stream.slice(INTAKE_STREAM_CATEGORY.length + 1)
    : null;

export const INTAKE_STATUSES = ['suggesting', 'deflected', 'attached', 'case-requested', 'abandoned'] as const;
export type IntakeStatus = (typeof INTAKE_STATUSES)[number];
/** the statuses an intake ends in */
export type IntakeOutcome = Exclude<IntakeStatus, 'suggesting'>;

/** An article the assistant showed, as it stood (its revision) and how well it matched. */
export interface SuggestedArticle {
  readonly articleId: string;
  /** the article's revision shown: `articleAtRevision` reads it back as it stood */
  readonly version: number;
  readonly score: number;
}

/** How many articles a suggestion shows at most, and how long a query may be. */
export const MAX_SUGGESTIONS = 10;
/** as a case's description (the intake's text may become it) */
export const MAX_INTAKE_TEXT = 20_000;
export const MAX_RECENT_CASES = 10;

// ── commands ───────────────────────────────────────────────────────────────
interface IntakeCommandBase<T extends string> {
  readonly type: T;
  readonly intakeId: string;
  readonly actor: Actor;
}

/** Step 1: the admin describes the problem; the shell searched the articles and the recent cases. */
export interface StartIntake extends IntakeCommandBase<'StartIntake'> {
  /** R3: the admin's organisation */
  readonly tenant: string;
  readonly description: string;
  readonly product?: string;
  readonly language: string;
  readonly suggestions: readonly SuggestedArticle[];
  /** R6: the organisation's recent cases, most similar first (ids) */
  readonly recentCaseIds: readonly string[];
}

/** Step 2: "search again". */
export interface SearchAgain extends IntakeCommandBase<'SearchAgain'> {
  readonly query: string;
  readonly suggestions: readonly SuggestedArticle[];
}

/** R5: an article solved it. */
export interface DeflectIntake extends IntakeCommandBase<'DeflectIntake'> {
  readonly articleId: string;
}

/** R6: the same problem as a recent case; the shell puts the message on that case. */
export interface AttachToRecentCase extends IntakeCommandBase<'AttachToRecentCase'> {
  readonly caseId: string;
}

/** Step 4: the admin picks the description of the problem (a problem category). */
export interface DescribeProblem extends IntakeCommandBase<'DescribeProblem'> {
  readonly problemCategory: string;
}

/** R7, R8: "I still need help", then the channel and the language; the shell opens the case. */
export interface RequestCase extends IntakeCommandBase<'RequestCase'> {
  /** the case the shell opens for this intake (derived from the intake id) */
  readonly caseId: string;
  /** the case's requester: the admin, with the address the case's e-mails go to */
  readonly requester: Requester;
  readonly subject: string;
  readonly description: string;
  /** default: the product the intake started with */
  readonly product?: string;
  readonly channel: Channel;
  readonly language: string;
  readonly impact: Impact;
  readonly workaround: Workaround;
}

/** No action for `idleMs`: the worker's sweep ends the intake. */
export interface AbandonIntake extends IntakeCommandBase<'AbandonIntake'> {
  readonly idleMs: number;
}

export type IntakeCommand =
  StartIntake | SearchAgain | DeflectIntake | AttachToRecentCase | DescribeProblem | RequestCase | AbandonIntake;

// ── events ─────────────────────────────────────────────────────────────────
export const INTAKE_EVENT_SCHEMA_VERSIONS = {
  IntakeStarted: 1,
  ArticlesSuggested: 1,
  SearchRepeated: 1,
  RecentCasesOffered: 1,
  ProblemDescribed: 1,
  AttachedToRecentCase: 1,
  Deflected: 1,
  StillNeedsHelp: 1,
  CaseRequested: 1,
  Abandoned: 1,
} as const;
export type IntakeEventType = keyof typeof INTAKE_EVENT_SCHEMA_VERSIONS;
export const INTAKE_EVENT_TYPES = Object.keys(INTAKE_EVENT_SCHEMA_VERSIONS) as IntakeEventType[];

interface IntakeEventBase {
  readonly intakeId: string;
  readonly at: string;
  readonly byId: string;
}

export interface IntakeEventDataMap {
  IntakeStarted: IntakeEventBase & {
    readonly tenant: string;
    readonly description: string;
    readonly product?: string;
    readonly language: string;
  };
  /** `query`: what was searched (the description at the start, then each "search again") */
  ArticlesSuggested: IntakeEventBase & { readonly query: string; readonly suggestions: readonly SuggestedArticle[] };
  SearchRepeated: IntakeEventBase & { readonly query: string };
  RecentCasesOffered: IntakeEventBase & { readonly caseIds: readonly string[] };
  ProblemDescribed: IntakeEventBase & { readonly problemCategory: string };
  AttachedToRecentCase: IntakeEventBase & { readonly caseId: string };
  /** the article that solved it, at the revision the admin was shown */
  Deflected: IntakeEventBase & { readonly articleId: string; readonly articleVersion: number };
  StillNeedsHelp: IntakeEventBase;
  /** the intake's answers, carried to the case's `Opened` (which names the intake) */
  CaseRequested: IntakeEventBase & {
    readonly caseId: string;
    readonly requester: Requester;
    readonly subject: string;
    readonly description: string;
    readonly product: string;
    readonly channel: Channel;
    readonly language: string;
    readonly impact: Impact;
    readonly workaround: Workaround;
  };
  /** the last action was at `idleSince` */
  Abandoned: IntakeEventBase & { readonly idleSince: string };
}

export type IntakeEventOf<T extends IntakeEventType> = {
  readonly type: T;
  readonly schemaVersion: 1;
  readonly data: IntakeEventDataMap[T];
};
export type IntakeEvent = { [T in IntakeEventType]: IntakeEventOf<T> }[IntakeEventType];

export const intakeEvent = <T extends IntakeEventType>(type: T, data: IntakeEventDataMap[T]): IntakeEventOf<T> => ({
  type,
  schemaVersion: 1,
  data,
});

// ── state ──────────────────────────────────────────────────────────────────
export interface IntakeState {
  readonly status: IntakeStatus | 'not-started';
  readonly id?: string;
  readonly tenant?: string;
  /** who started it */
  readonly startedBy?: string;
  readonly startedAt?: string;
  readonly description?: string;
  readonly product?: string;
  readonly language?: string;
  /** every article shown so far, by id: the latest revision shown */
  readonly suggested: Readonly<Record<string, SuggestedArticle>>;
  /** the latest suggestion, in its order */
  readonly suggestions: readonly SuggestedArticle[];
  readonly searches: number;
  readonly recentCaseIds: readonly string[];
  readonly problemCategory?: string;
  readonly stillNeedsHelp: boolean;
  readonly lastActivityAt?: string;
  /** how it ended, once it has */
  readonly endedAt?: string;
  readonly deflectedBy?: { readonly articleId: string; readonly articleVersion: number };
  readonly caseId?: string;
  /** the case request's answers (`CaseRequested`), for a retry to open the same case */
  readonly request?: IntakeEventDataMap['CaseRequested'];
  readonly version: number;
}

export const initialIntakeState: IntakeState = Object.freeze({
  status: 'not-started',
  suggested: {},
  suggestions: [],
  searches: 0,
  recentCaseIds: [],
  stillNeedsHelp: false,
  version: 0,
});
