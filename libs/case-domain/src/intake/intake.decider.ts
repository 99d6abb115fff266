import type { Decider } from '../shared/decider';
import type { OpenCase } from '../case/case.commands';
import { InvalidCommand } from '../shared/domain-rule-violation';
import { isoInstant, optionalText, requireBoolean, requireOneOf, requireText } from '../shared/validation';
import { CHANNELS, IMPACT_SCOPES, SERVICE_STATES, WORKAROUNDS } from '../case/case.types';
import { ArticleNotSuggested, IntakeAlreadyEnded, IntakeAlreadyStarted, IntakeNotFound } from './intake.errors';
import {
  initialIntakeState,
  intakeEvent,
  MAX_INTAKE_TEXT,
  MAX_RECENT_CASES,
  MAX_SUGGESTIONS,
  type IntakeCommand,
  type IntakeEvent,
  type IntakeEventDataMap,
  type IntakeOutcome,
  type IntakeState,
  type SuggestedArticle,
} from './intake.model';

/** as the case's open checks the requester's address */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** a BCP 47 tag, loosely: `fr`, `en-GB` (as a case's language, R8) */
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

const boundedText = (field: string, value: unknown): string => {
  const text = requireText(field, value).trim();
  if (text.length > MAX_INTAKE_TEXT) throw new InvalidCommand(field, `must be at most ${MAX_INTAKE_TEXT} characters`);
  return text;
};

const language = (value: unknown): string => {
  if (!LANGUAGE_TAG.test(requireText('language', value)))
    throw new InvalidCommand('language', 'must be a language tag such as fr or en-GB');
  return value as string;
};

const suggestionList = (value: unknown): SuggestedArticle[] => {
  if (!Array.isArray(value) || value.length > MAX_SUGGESTIONS)
    throw new InvalidCommand('suggestions', `must be a list of at most ${MAX_SUGGESTIONS} articles`);
  return value.map((s: Partial<SuggestedArticle>, i) => {
    const articleId = requireText(`suggestions[${i}].articleId`, s?.articleId);
    if (!Number.isSafeInteger(s.version) || (s.version as number) < 1)
      throw new InvalidCommand(`suggestions[${i}].version`, 'must be a revision number (1, 2, …)');
    if (typeof s.score !== 'number' || !Number.isFinite(s.score) || s.score < 0)
      throw new InvalidCommand(`suggestions[${i}].score`, 'must be a non-negative number');
    return { articleId, version: s.version as number, score: s.score };
  });
};

const WANTED: Readonly<Record<IntakeCommand['type'], string>> = {
  StartIntake: 'start again',
  SearchAgain: 'search again',
  DeflectIntake: 'be deflected',
  AttachToRecentCase: 'be attached to a case',
  DescribeProblem: 'describe the problem',
  RequestCase: 'request a case',
  AbandonIntake: 'be abandoned',
};

/**
 * R5–R8. Order: a start checks its values, then that the id is free; any other command
 * first needs a started intake (INTAKE.NOT_FOUND: one never started, like one of another
 * organisation, says nothing of the values), then its values, then that the intake has not
 * ended, then the rules. A repeat of the step that ended the intake (the same article, the same case) is
 * `[]`: a retry changes nothing. Anything else after the end is refused with
 * INTAKE.ALREADY_ENDED, so each intake is counted once in the deflection report.
 */
export const decideIntake = (state: IntakeState, command: IntakeCommand, now: Date): IntakeEvent[] => {
  const at = isoInstant('now', now);
  const intakeId = requireText('intakeId', command.intakeId);
  const base = { intakeId, at, byId: requireText('actor.id', command.actor?.id) };
  if (command.type === 'StartIntake') {
    const tenant = requireText('tenant', command.tenant);
    const description = boundedText('description', command.description);
    const product = optionalText('product', command.product)?.trim().toLowerCase();
    const lang = language(command.language);
    const suggestions = suggestionList(command.suggestions);
    if (!Array.isArray(command.recentCaseIds) || command.recentCaseIds.length > MAX_RECENT_CASES)
      throw new InvalidCommand('recentCaseIds', `must be a list of at most ${MAX_RECENT_CASES} case ids`);
    const recent = command.recentCaseIds.map((id, i) => requireText(`recentCaseIds[${i}]`, id));
    if (state.status !== 'not-started') {
      if (state.tenant === tenant && state.description === description && state.startedBy === base.byId) return [];
      throw new IntakeAlreadyStarted(intakeId);
    }
    return [
      intakeEvent('IntakeStarted', { ...base, tenant, description, ...(product ? { product } : {}), language: lang }),
      intakeEvent('ArticlesSuggested', { ...base, query: description, suggestions }),
      ...(recent.length > 0 ? [intakeEvent('RecentCasesOffered', { ...base, caseIds: recent })] : []),
    ];
  }
  if (state.status === 'not-started') throw new IntakeNotFound(intakeId);
  const ended = (): IntakeAlreadyEnded =>
    new IntakeAlreadyEnded(intakeId, state.status as IntakeOutcome, WANTED[command.type], state.caseId);
  switch (command.type) {
    case 'SearchAgain': {
      const query = boundedText('query', command.query);
      const suggestions = suggestionList(command.suggestions);
      if (state.status !== 'suggesting') throw ended();
      return [
        intakeEvent('SearchRepeated', { ...base, query }),
        intakeEvent('ArticlesSuggested', { ...base, query, suggestions }),
      ];
    }
    case 'DeflectIntake': {
      const articleId = requireText('articleId', command.articleId);
      if (state.status === 'deflected' && state.deflectedBy?.articleId === articleId) return [];
      if (state.status !== 'suggesting') throw ended();
      const shown = state.suggested[articleId];
      if (!shown) throw new ArticleNotSuggested(intakeId, articleId);
      return [intakeEvent('Deflected', { ...base, articleId, articleVersion: shown.version })];
    }
    case 'AttachToRecentCase': {
      const caseId = requireText('caseId', command.caseId);
      if (state.status === 'attached' && state.caseId === caseId) return [];
      if (state.status !== 'suggesting') throw ended();
      return [intakeEvent('AttachedToRecentCase', { ...base, caseId })];
    }
    case 'DescribeProblem': {
      const problemCategory = requireText('problemCategory', command.problemCategory).trim().toLowerCase();
      if (!/^[a-z0-9][a-z0-9._:-]{0,99}$/.test(problemCategory))
        throw new InvalidCommand('problemCategory', 'must be a lower-case id such as sso or billing');
      if (state.status !== 'suggesting') throw ended();
      if (state.problemCategory === problemCategory) return [];
      return [intakeEvent('ProblemDescribed', { ...base, problemCategory })];
    }
    case 'RequestCase': {
      const caseId = requireText('caseId', command.caseId);
      const channel = requireOneOf('channel', command.channel, CHANNELS);
      const lang = language(command.language);
      const impact = {
        serviceState: requireOneOf('impact.serviceState', command.impact?.serviceState, SERVICE_STATES),
        scope: requireOneOf('impact.scope', command.impact.scope, IMPACT_SCOPES),
        collaborationHarmed: requireBoolean('impact.collaborationHarmed', command.impact.collaborationHarmed),
      };
      const workaround = requireOneOf('workaround', command.workaround, WORKAROUNDS);
      const subject = boundedText('subject', command.subject);
      const description = boundedText('description', command.description);
      const product = (optionalText('product', command.product) ?? state.product)?.trim().toLowerCase();
      if (!product) throw new InvalidCommand('product', 'must be given when the intake did not name one');
      const requester = {
        id: requireText('requester.id', command.requester?.id),
        email: requireText('requester.email', command.requester.email),
      };
      // checked as the case's open checks it: a request recorded here must open its case
      if (!EMAIL.test(requester.email)) throw new InvalidCommand('requester.email', 'must be an e-mail address');
      if (state.status === 'case-requested' && state.caseId === caseId) return [];
      if (state.status !== 'suggesting') throw ended();
      return [
        ...(state.stillNeedsHelp ? [] : [intakeEvent('StillNeedsHelp', base)]),
        intakeEvent('CaseRequested', {
          ...base,
          caseId,
          requester,
          subject,
          description,
          product,
          channel,
          language: lang,
          impact,
          workaround,
        }),
      ];
    }
    case 'AbandonIntake': {
      if (!Number.isSafeInteger(command.idleMs) || command.idleMs <= 0)
        throw new InvalidCommand('idleMs', 'must be a positive number of milliseconds');
      if (state.status !== 'suggesting') return [];
      const idleSince = state.lastActivityAt as string;
      if (now.getTime() - Date.parse(idleSince) < command.idleMs) return [];
      return [intakeEvent('Abandoned', { ...base, idleSince })];
    }
  }
};

/** Total: an unknown event (a newer release's) only bumps the version. */
export const evolveIntake = (state: IntakeState, e: IntakeEvent): IntakeState => {
  const s = { ...state, version: state.version + 1 };
  const d = e.data;
  switch (e.type) {
    case 'IntakeStarted':
      return {
        ...s,
        status: 'suggesting',
        id: e.data.intakeId,
        tenant: e.data.tenant,
        startedBy: d.byId,
        startedAt: d.at,
        description: e.data.description,
        ...(e.data.product === undefined ? {} : { product: e.data.product }),
        language: e.data.language,
        lastActivityAt: d.at,
      };
    case 'ArticlesSuggested': {
      const suggested = { ...s.suggested };
      for (const a of e.data.suggestions) suggested[a.articleId] = a;
      return { ...s, suggested, suggestions: e.data.suggestions, lastActivityAt: d.at };
    }
    case 'SearchRepeated':
      return { ...s, searches: s.searches + 1, lastActivityAt: d.at };
    case 'RecentCasesOffered':
      return { ...s, recentCaseIds: e.data.caseIds, lastActivityAt: d.at };
    case 'ProblemDescribed':
      return { ...s, problemCategory: e.data.problemCategory, lastActivityAt: d.at };
    case 'StillNeedsHelp':
      return { ...s, stillNeedsHelp: true, lastActivityAt: d.at };
    case 'Deflected':
      return {
        ...s,
        status: 'deflected',
        deflectedBy: { articleId: e.data.articleId, articleVersion: e.data.articleVersion },
        endedAt: d.at,
        lastActivityAt: d.at,
      };
    case 'AttachedToRecentCase':
      return { ...s, status: 'attached', caseId: e.data.caseId, endedAt: d.at, lastActivityAt: d.at };
    case 'CaseRequested':
      return {
        ...s,
        status: 'case-requested',
        caseId: e.data.caseId,
        request: e.data,
        endedAt: d.at,
        lastActivityAt: d.at,
      };
    case 'Abandoned':
      return { ...s, status: 'abandoned', endedAt: d.at };
    default:
      return s;
  }
};

export const intakeDecider: Decider<IntakeState, IntakeCommand, IntakeEvent> = {
  decide: decideIntake,
  evolve: evolveIntake,
  initialState: initialIntakeState,
};

/**
 * R8: the case an intake asked for, as its `CaseRequested` recorded it: the intake's answers
 * are carried, never typed twice, and the case's `Opened` names the intake. Pure, so a retry
 * (or the worker, after a crash between the two writes) opens exactly the same case, by the
 * admin who asked for it (the sender is recorded in the events' metadata).
 */
export const caseOpenFor = (tenant: string, request: IntakeEventDataMap['CaseRequested']): OpenCase => ({
  type: 'OpenCase',
  caseId: request.caseId,
  // whoever opens it (the API, a retry, the worker's sweep), the case is the admin's request
  actor: { id: request.byId, role: 'support-admin' },
  tenant,
  requester: { id: request.requester.id, email: request.requester.email },
  subject: request.subject,
  description: request.description,
  product: request.product,
  language: request.language,
  channel: request.channel,
  impact: { ...request.impact },
  workaround: request.workaround,
  intakeId: request.intakeId,
});
