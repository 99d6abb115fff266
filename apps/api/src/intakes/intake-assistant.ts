import { Inject, Injectable } from '@nestjs/common';
import {
  ARTICLE_LANGUAGES,
  MAX_SUGGESTIONS,
  type ArticleLanguage,
  type IntakeState,
  type SuggestedArticle,
} from '@app/case-domain';
import { CLOCK, type Clock } from '@app/clock';
import { SQL_DATABASE, type SqlDatabase } from '@app/event-store';
import { CASE_SUMMARIES_TABLE, HELP_ARTICLES_TABLE, searchHelpArticles } from '@app/read-models';
import type { IntakeViewResponse, RecentCaseResponse, SuggestionResponse } from './intake.dto';
import { rankRecentCases, RECENT_CASE_WINDOW_MS, type RecentCaseCandidate } from './recent-cases';

/** How many articles the assistant suggests at a time. */
export const SUGGESTIONS_SHOWN = 5;
/** Recent cases read to rank (the most recently updated of the organisation). */
const RECENT_CANDIDATES = 200;

/** The articles are in French and English: another language reads the English ones first (R8). */
export const articleLanguageOf = (tag: string): ArticleLanguage => {
  const primary = tag.trim().toLowerCase().split('-')[0];
  return (ARTICLE_LANGUAGES as readonly string[]).includes(primary) ? (primary as ArticleLanguage) : 'en';
};

export const articleUrl = (articleId: string) => `/v1/help/articles/${articleId}`;

export interface Suggestions {
  /** what the intake records: id, revision shown, score */
  readonly recorded: SuggestedArticle[];
  /** what the admin is shown */
  readonly shown: SuggestionResponse[];
}

type Time = Date | string | number;
const iso = (t: Time) => new Date(t).toISOString();

/**
 * The read side of the help assistant (R5, R6): the article search (help-articles read
 * model) and the organisation's recent cases (case-summaries read model). What it finds is
 * recorded by the intake's events; the intake itself is read from its stream.
 */
@Injectable()
export class IntakeAssistant {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** R5: the published articles that best match, in the admin's language first. */
  async suggest(query: string, language: string, product?: string): Promise<Suggestions> {
    const hits = await searchHelpArticles(this.db, {
      query,
      language: articleLanguageOf(language),
      ...(product ? { product } : {}),
      limit: Math.min(SUGGESTIONS_SHOWN, MAX_SUGGESTIONS),
    });
    // the rank as recorded: six significant digits are plenty to order and compare
    const score = (s: number) => Number(s.toPrecision(6));
    return {
      recorded: hits.map((h) => ({ articleId: h.articleId, version: h.version, score: score(h.score) })),
      shown: hits.map((h) => ({
        articleId: h.articleId,
        title: h.title,
        url: articleUrl(h.articleId),
        score: score(h.score),
        version: h.version,
      })),
    };
  }

  /** R6: the organisation's cases opened or updated in the last 14 days, most similar first. */
  async recentCases(tenant: string, description: string): Promise<RecentCaseCandidate[]> {
    const since = new Date(this.clock.now().getTime() - RECENT_CASE_WINDOW_MS);
    const { rows } = await this.db.query<{
      case_id: string;
      subject: string;
      status: string;
      opened_at: Time;
      updated_at: Time;
    }>(
      `SELECT case_id, subject, status, opened_at, updated_at FROM ${CASE_SUMMARIES_TABLE}
        WHERE tenant = $1 AND updated_at >= $2 ORDER BY updated_at DESC LIMIT ${RECENT_CANDIDATES}`,
      [tenant, since.toISOString()],
    );
    return rankRecentCases(
      description,
      rows.map((r) => ({
        id: r.case_id,
        subject: r.subject,
        status: r.status,
        openedAt: iso(r.opened_at),
        updatedAt: iso(r.updated_at),
      })),
    );
  }

  /** The intake as the API shows it: its stream's state, with the titles and cases it names. */
  async view(state: IntakeState, version: number, shown?: SuggestionResponse[]): Promise<IntakeViewResponse> {
    const suggestions = shown ?? (await this.withTitles(state.suggestions));
    const recentCases = await this.casesNamed(state.tenant as string, state.recentCaseIds);
    return {
      id: state.id as string,
      status: state.status as IntakeViewResponse['status'],
      description: state.description as string,
      ...(state.product ? { product: state.product } : {}),
      language: state.language as string,
      suggestions,
      recentCases,
      searches: state.searches,
      ...(state.problemCategory ? { problemCategory: state.problemCategory } : {}),
      ...(state.deflectedBy ? { deflectedBy: { ...state.deflectedBy } } : {}),
      ...(state.caseId ? { caseId: state.caseId } : {}),
      startedAt: state.startedAt as string,
      ...(state.endedAt ? { endedAt: state.endedAt } : {}),
      version,
    };
  }

  /** Titles from the read model (the article as it reads now; its revision shown is `version`). */
  private async withTitles(suggestions: readonly SuggestedArticle[]): Promise<SuggestionResponse[]> {
    if (suggestions.length === 0) return [];
    const { rows } = await this.db.query<{ article_id: string; title: string }>(
      `SELECT article_id, title FROM ${HELP_ARTICLES_TABLE} WHERE article_id = ANY($1::text[])`,
      [suggestions.map((s) => s.articleId)],
    );
    const titles = new Map(rows.map((r) => [r.article_id, r.title]));
    return suggestions.map((s) => ({
      articleId: s.articleId,
      title: titles.get(s.articleId) ?? s.articleId,
      url: articleUrl(s.articleId),
      score: s.score,
      version: s.version,
    }));
  }

  /** The recent cases an intake offered, as they stand, in the order offered (R3: its organisation's only). */
  async casesNamed(tenant: string, ids: readonly string[]): Promise<RecentCaseResponse[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.db.query<{ case_id: string; subject: string; status: string; opened_at: Time }>(
      `SELECT case_id, subject, status, opened_at FROM ${CASE_SUMMARIES_TABLE} WHERE tenant = $1 AND case_id = ANY($2::text[])`,
      [tenant, [...ids]],
    );
    const byId = new Map(rows.map((r) => [r.case_id, r]));
    return ids.flatMap((id) => {
      const r = byId.get(id);
      return r ? [{ id, subject: r.subject, status: r.status, openedAt: iso(r.opened_at) }] : [];
    });
  }
}
