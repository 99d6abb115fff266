import type { PrincipalClaims } from '@app/auth';

/**
 * The people of the README's walk, as token claims, for suites and benches that run the apps
 * as processes and sign their own local tokens: a support admin of acme.example, an agent of
 * north-desk (French and English, EMEA), a supervisor. (The in-process e2e suites have theirs
 * in apps/api/test/tokens.ts.)
 */
export const DESK_ADMIN: PrincipalClaims = {
  role: 'support-admin',
  sub: 'ana@acme.example',
  email: 'ana@acme.example',
  org: 'acme.example',
  privileges: ['support'],
};
export const DESK_AGENT: PrincipalClaims = {
  role: 'agent',
  sub: 'eve@north.example',
  email: 'eve@north.example',
  vendor: 'north-desk',
  languages: ['fr', 'en'],
  regions: ['emea'],
};
export const DESK_SUPERVISOR: PrincipalClaims = {
  role: 'supervisor',
  sub: 'sam@support.example',
  email: 'sam@support.example',
};

/** The README's open request: a French P1 for the sales team's SSO. */
export const OPEN_CASE_REQUEST = {
  subject: 'SSO login fails for the sales team',
  description: 'Nobody in sales can sign in since 9:00.',
  product: 'cloud-identity',
  language: 'fr',
  channel: 'email',
  impact: { serviceState: 'unusable', scope: 'several-users', collaborationHarmed: true },
  workaround: 'none',
} as const;
