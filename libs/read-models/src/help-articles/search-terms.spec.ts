import {
  CONJUNCTIVE_GROUPS,
  foldText,
  MAX_QUERY_WORDS,
  planSearch,
  searchQueryText,
  searchTerms,
  tsqueryText,
  type DocumentFrequency,
} from './search-terms';

describe('help search: from what the admin typed to a tsquery', () => {
  it('folds case and accents, and keeps words of two characters or more', () => {
    expect(foldText('Réinitialiser LE Mot de Passe, ça échoue')).toBe('reinitialiser le mot de passe, ca echoue');
    expect(searchQueryText("l'accès à la Console.", 'fr')).toBe('acces | la | console');
  });

  it('ORs the words, each with its synonyms; an expression of two words is one group', () => {
    expect(searchQueryText('mdp oublié', 'fr')).toBe('(mdp | (mot & passe)) | oublie:*');
    // stop words ("with", "in") stay: the database drops them with the language's list
    expect(searchQueryText('cannot log in with okta.', 'en')).toBe(
      'cannot | ((log & in) | sign) | with | (okta | (identity & provider))',
    );
    expect(searchQueryText('2FA!', 'en')).toBe('(2fa | (step & verification))');
  });

  it('matches the last word as a prefix while it may be unfinished, never a finished one', () => {
    expect(searchQueryText('reset passw', 'en')).toBe('reset | passw:*');
    expect(searchQueryText('reset passw ', 'en')).toBe('reset | passw');
    expect(searchQueryText('reset passw?', 'en')).toBe('reset | passw');
    // too short to be worth a prefix
    expect(searchQueryText('sso ad', 'en')).toBe('(sso | (single & sign)) | (ad | (active & directory))');
  });

  it('searches a repeated word once, caps the words, and lets no tsquery syntax through', () => {
    expect(searchQueryText('sso SSO Sso.', 'en')).toBe('(sso | (single & sign))');
    const long = Array.from({ length: 50 }, (_, i) => `word${i}`).join(' ');
    expect(searchTerms(long, 'en')).toHaveLength(MAX_QUERY_WORDS);
    expect(searchQueryText("a & b | !c:* (d) 'e' <-> f", 'en')).toBeNull();
    expect(searchQueryText(' !!! ', 'fr')).toBeNull();
  });

  it('renders groups as an OR, or an AND when every group must match', () => {
    const groups = searchTerms('mot de passe ', 'fr');
    expect(tsqueryText(groups)).toBe('mot | de | passe');
    expect(tsqueryText(groups, true)).toBe('mot & de & passe');
    expect(tsqueryText([])).toBeNull();
  });
});

describe('help search: which words tell articles apart', () => {
  // 1,000 published articles; "user" is in 600 of them, "console" in 300, "saml" in 40
  const counts: Record<string, number | undefined> = {
    user: 600,
    console: 300,
    saml: 40,
    certificate: 25,
    the: undefined,
  };
  const frequency: DocumentFrequency = (word) => (word in counts ? counts[word] : 0);
  const plan = (query: string) => planSearch(searchTerms(query, 'en'), frequency, 1_000);

  it('matches on the distinctive words and ranks on every word some article holds', () => {
    expect(plan('the user saml certificate nothinglikeit ')).toEqual({
      match: [[{ words: ['saml'], prefix: false }], [{ words: ['certificate'], prefix: false }]],
      all: false,
      rank: [
        [{ words: ['user'], prefix: false }],
        [{ words: ['saml'], prefix: false }],
        [{ words: ['certificate'], prefix: false }],
      ],
    });
  });

  it('keeps the distinctive alternatives of a group and drops the common ones from the match', () => {
    expect(planSearch(searchTerms('cert ', 'en'), (w) => ({ cert: 0, certificate: 25 })[w], 1_000)).toMatchObject({
      match: [[{ words: ['certificate'], prefix: false }]],
    });
  });

  it(`asks for the ${CONJUNCTIVE_GROUPS} rarest groups together when every word is common`, () => {
    expect(plan('console user ')).toEqual({
      match: [[{ words: ['console'], prefix: false }], [{ words: ['user'], prefix: false }]],
      all: true,
      rank: [[{ words: ['console'], prefix: false }], [{ words: ['user'], prefix: false }]],
    });
    expect(plan('user')).toMatchObject({ all: false, match: [[{ words: ['user'], prefix: true }]] });
  });

  it('finds nothing to search for when no article holds any word', () => expect(plan('nothinglikeit the')).toBeNull());

  it('treats every word as distinctive in a small help centre', () =>
    expect(planSearch(searchTerms('user console', 'en'), (w) => ({ user: 7, console: 5 })[w], 20)).toMatchObject({
      all: false,
      match: [[{ words: ['user'] }], [{ words: ['console'] }]],
    }));
});
