import { intakeEvent, type IntakeEvent } from '@app/case-domain';
import { opened as caseOpened } from '@app/case-domain/testing';
import { evolveIntakeRow, intakeKeyOf, type IntakeRow, type IntakeRowInput } from './intake-row.evolve';

const intakeId = 'i-1';
const stream = `intake-${intakeId}`;
const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 9, minute)).toISOString();
const base = (minute: number) => ({ intakeId, at: at(minute), byId: 'ana' });
const suggest = (minute: number, ...ids: string[]) =>
  intakeEvent('ArticlesSuggested', {
    ...base(minute),
    query: 'sso fails',
    suggestions: ids.map((articleId, i) => ({ articleId, version: 2, score: 1 - i / 10 })),
  });
const started = intakeEvent('IntakeStarted', {
  ...base(0),
  tenant: 'acme.example',
  description: 'SSO fails for everyone',
  product: 'cloud-identity',
  language: 'fr',
});
const request = (minute: number) =>
  intakeEvent('CaseRequested', {
    ...base(minute),
    caseId: 'c-9',
    requester: { id: 'ana', email: 'ana@acme.example' },
    subject: 'SSO',
    description: 'SSO fails for everyone',
    product: 'cloud-identity',
    channel: 'email',
    language: 'fr',
    impact: { serviceState: 'unusable', scope: 'several-users', collaborationHarmed: false },
    workaround: 'none',
  });
const opened = (intake: string | undefined, caseId = 'c-9'): IntakeRowInput => ({
  ...caseOpened({ caseId, at: at(30), byId: 'ana', ...(intake === undefined ? {} : { intakeId: intake }) }),
  streamId: `case-${caseId}`,
  streamVersion: 1,
});

/** the intake's events at stream versions 1, 2, … */
const inStream = (events: readonly IntakeEvent[]): IntakeRowInput[] =>
  events.map((e, i) => ({ ...e, streamId: stream, streamVersion: i + 1 }));
const fold = (inputs: readonly IntakeRowInput[], from: IntakeRow | null = null): IntakeRow | null =>
  inputs.reduce<IntakeRow | null>((row, e) => evolveIntakeRow(row, e), from);

const startedRow: IntakeRow = {
  intakeId,
  status: 'suggesting',
  tenant: 'acme.example',
  product: 'cloud-identity',
  language: 'fr',
  startedAt: at(0),
  endedAt: null,
  deflectingArticleId: null,
  deflectingArticleVersion: null,
  caseId: null,
  caseOpened: false,
  lastActivityAt: at(0),
  articlesShown: ['sso-setup', 'password-reset'].sort(),
  version: 2,
};

describe('evolveIntakeRow (the intakes read model)', () => {
  it('starts a row with what the intake started with, and the articles of its first suggestion', () =>
    expect(fold(inStream([started, suggest(0, 'sso-setup', 'password-reset')]))).toEqual(startedRow));

  it('a product not named stays null', () => {
    const { product: _p, ...noProduct } = started.data;
    expect(fold(inStream([intakeEvent('IntakeStarted', noProduct)]))?.product).toBeNull();
  });

  it('keeps every article shown, once each, sorted, and the last activity of any step', () => {
    const row = fold(
      inStream([
        started,
        suggest(0, 'sso-setup', 'password-reset'),
        intakeEvent('RecentCasesOffered', { ...base(0), caseIds: ['c-1'] }),
        intakeEvent('SearchRepeated', { ...base(5), query: 'saml' }),
        suggest(5, 'saml-metadata', 'sso-setup'),
        intakeEvent('ProblemDescribed', { ...base(7), problemCategory: 'sso' }),
      ]),
    );
    expect(row).toEqual({
      ...startedRow,
      articlesShown: ['password-reset', 'saml-metadata', 'sso-setup'],
      lastActivityAt: at(7),
      version: 6,
    });
  });

  it('ends deflected by an article, at the revision shown', () =>
    expect(
      fold(
        inStream([
          started,
          suggest(0, 'sso-setup', 'password-reset'),
          intakeEvent('Deflected', { ...base(4), articleId: 'sso-setup', articleVersion: 2 }),
        ]),
      ),
    ).toEqual({
      ...startedRow,
      status: 'deflected',
      deflectingArticleId: 'sso-setup',
      deflectingArticleVersion: 2,
      endedAt: at(4),
      lastActivityAt: at(4),
      version: 3,
    }));

  it('ends attached to a recent case, with that case', () =>
    expect(
      fold(
        inStream([
          started,
          suggest(0, 'sso-setup', 'password-reset'),
          intakeEvent('AttachedToRecentCase', { ...base(3), caseId: 'c-1' }),
        ]),
      ),
    ).toMatchObject({ status: 'attached', caseId: 'c-1', caseOpened: false, endedAt: at(3), lastActivityAt: at(3) }));

  it('ends with a case request; the case counts as opened once its Opened naming the intake is folded', () => {
    const requested = fold(
      inStream([
        started,
        suggest(0, 'sso-setup', 'password-reset'),
        intakeEvent('StillNeedsHelp', base(6)),
        request(6),
      ]),
    );
    expect(requested).toEqual({
      ...startedRow,
      status: 'case-requested',
      caseId: 'c-9',
      endedAt: at(6),
      lastActivityAt: at(6),
      version: 4,
    });
    const withCase = evolveIntakeRow(requested, opened(intakeId));
    expect(withCase).toEqual({ ...requested, caseOpened: true });
    // the same Opened again changes nothing (the same row, so nothing is written)
    expect(evolveIntakeRow(withCase, opened(intakeId))).toBe(withCase);
  });

  it('ends abandoned at the sweep, keeping the last activity it was idle since', () =>
    expect(
      fold(
        inStream([
          started,
          suggest(0, 'sso-setup', 'password-reset'),
          intakeEvent('Abandoned', { ...base(60 * 24 + 1), byId: 'system:intake-sweep', idleSince: at(0) }),
        ]),
      ),
    ).toMatchObject({ status: 'abandoned', endedAt: at(60 * 24 + 1), lastActivityAt: at(0), version: 3 }));

  it('takes the case’s Opened before the intake’s events alike (a replay reads case- streams first)', () => {
    const events = inStream([started, suggest(0, 'sso-setup', 'password-reset'), request(6)]);
    const before = fold([opened(intakeId), ...events]);
    const after = fold([...events, opened(intakeId)]);
    expect(before).toEqual(after);
    expect(before).toMatchObject({ status: 'case-requested', caseOpened: true, caseId: 'c-9', version: 3 });
    // alone, the Opened makes a row that is not an intake yet
    expect(fold([opened(intakeId)])).toMatchObject({ status: 'not-started', caseOpened: true, startedAt: null });
  });

  it('applies each intake event once: one at or below the row’s version changes nothing', () => {
    const events = inStream([started, suggest(0, 'sso-setup', 'password-reset')]);
    const row = fold(events);
    expect(evolveIntakeRow(row, events[1])).toBe(row);
    expect(fold(events, row)).toBe(row);
  });

  it('refuses a hole: a step of an intake whose start it never folded (null, the runner parks it)', () => {
    const [, suggested] = inStream([started, suggest(0, 'sso-setup')]);
    expect(evolveIntakeRow(null, suggested)).toBeNull();
    expect(evolveIntakeRow(fold([opened(intakeId)]), suggested)).toBeNull();
  });

  it('only moves the version for an intake event it does not know (a newer release’s)', () => {
    const row = fold(inStream([started, suggest(0, 'sso-setup', 'password-reset')])) as IntakeRow;
    expect(evolveIntakeRow(row, { type: 'IntakeRated', data: {}, streamId: stream, streamVersion: 3 })).toEqual({
      ...row,
      version: 3,
    });
  });

  it('has nothing to do with events of no intake: other cases’ Opened, other streams', () => {
    expect(intakeKeyOf(opened(undefined))).toBeNull();
    expect(intakeKeyOf(opened(intakeId))).toBe(intakeId);
    expect(intakeKeyOf({ ...opened(intakeId), streamId: 'incident-9' })).toBeNull();
    expect(intakeKeyOf({ type: 'Resolved', data: {}, streamId: 'case-c-9', streamVersion: 4 })).toBeNull();
    expect(intakeKeyOf(inStream([started])[0])).toBe(intakeId);
    const row = fold(inStream([started]));
    expect(evolveIntakeRow(row, opened(undefined))).toBe(row);
  });
});
