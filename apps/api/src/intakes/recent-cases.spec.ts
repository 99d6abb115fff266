import { rankRecentCases, similarity, type RecentCaseCandidate } from './recent-cases';

const candidate = (id: string, subject: string, updatedAt: string): RecentCaseCandidate => ({
  id,
  subject,
  status: 'open',
  openedAt: '2026-03-01T09:00:00.000Z',
  updatedAt,
});

describe('recent cases offered by the help assistant (R6)', () => {
  it('measures the share of the subject’s words found in the description, accents and case folded', () => {
    expect(similarity('Nos utilisateurs ne peuvent plus se connecter avec le SSO SAML', 'Échec SSO SAML')).toBeCloseTo(
      2 / 3,
    );
    expect(similarity('SSO saml fails', 'sso SAML')).toBe(1);
    expect(similarity('billing question', 'SSO SAML')).toBe(0);
    expect(similarity('anything', 'the and')).toBe(0); // only stop words: says nothing
  });

  it('offers the most similar first, then the most recently updated, at most the limit', () => {
    const cases = [
      candidate('a', 'Invoice is wrong', '2026-03-05T10:00:00.000Z'),
      candidate('b', 'SAML sign-in fails for all users', '2026-03-01T10:00:00.000Z'),
      candidate('c', 'Password reset e-mail never arrives', '2026-03-06T10:00:00.000Z'),
      candidate('d', 'SAML certificate expired', '2026-03-04T10:00:00.000Z'),
    ];
    const ranked = rankRecentCases('Our SAML sign-in fails since this morning', cases, 3);
    expect(ranked.map((c) => c.id)).toEqual(['b', 'd', 'c']);
  });
});
