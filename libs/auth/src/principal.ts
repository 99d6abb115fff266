import { Unauthenticated } from './auth.errors';

/**
 * Who is calling, as read from verified bearer-token claims. A union on `role`.
 *
 * Customers: the `support` privilege, not the role label, decides between a support
 * admin and a customer admin (R1). `parsePrincipal` sets `role` from the privileges, so a
 * token saying `role: 'support-admin'` without the privilege yields a `customer-admin`
 * principal, and the policy answers with a 403 naming the missing privilege instead of
 * the request failing as unauthenticated.
 */
export const ROLES = ['support-admin', 'customer-admin', 'agent', 'supervisor', 'auditor', 'system'] as const;
export type Role = (typeof ROLES)[number];

/** The privilege R1 requires of customer administrators. */
export const SUPPORT_PRIVILEGE = 'support';

interface PrincipalBase {
  /** the subject: stable id of the person or system at the identity provider */
  readonly sub: string;
  /** lower-cased */
  readonly email: string;
  /**
   * the optional `name` claim, as customers are shown a member of staff (docs/auth.md,
   * "Display names"); absent when the token has none, or none fit to show
   */
  readonly name?: string;
}

export interface SupportAdminPrincipal extends PrincipalBase {
  readonly role: 'support-admin';
  /** the organisation's domain, lower-cased, e.g. `acme.example`: the tenant */
  readonly org: string;
  readonly privileges: readonly string[];
}

export interface CustomerAdminPrincipal extends PrincipalBase {
  readonly role: 'customer-admin';
  readonly org: string;
  readonly privileges: readonly string[];
}

export interface AgentPrincipal extends PrincipalBase {
  readonly role: 'agent';
  /** the support provider the agent works for (R4, R16) */
  readonly vendor: string;
  /** lower-cased language tags, e.g. `['fr', 'en']` */
  readonly languages: readonly string[];
  /** lower-cased region ids, e.g. `['emea']` */
  readonly regions: readonly string[];
}

export interface SupervisorPrincipal extends PrincipalBase {
  readonly role: 'supervisor';
}

export interface AuditorPrincipal extends PrincipalBase {
  readonly role: 'auditor';
}

/** timers and sagas; may have no e-mail address */
export interface SystemPrincipal {
  readonly role: 'system';
  readonly sub: string;
  readonly email?: string;
}

export type CustomerPrincipal = SupportAdminPrincipal | CustomerAdminPrincipal;
export type Principal =
  | SupportAdminPrincipal
  | CustomerAdminPrincipal
  | AgentPrincipal
  | SupervisorPrincipal
  | AuditorPrincipal
  | SystemPrincipal;

/** The claims a token carries (what `issueLocalToken` signs and `parsePrincipal` reads). */
export interface PrincipalClaims {
  readonly role: Role;
  readonly sub: string;
  readonly email?: string;
  readonly org?: string;
  readonly privileges?: readonly string[];
  readonly vendor?: string;
  readonly languages?: readonly string[];
  readonly regions?: readonly string[];
  /** a display name (optional; see {@link displayNameClaim}) */
  readonly name?: string;
}

export const isCustomer = (p: Principal): p is CustomerPrincipal =>
  p.role === 'support-admin' || p.role === 'customer-admin';

/**
 * The actor recorded in event metadata (`EventMetadata.actor` in @app/event-store), with the
 * principal's display name when the token had one (what customers are shown of staff).
 */
export const toActor = (p: Principal): { id: string; role: Role; org?: string; vendor?: string; name?: string } => {
  const name = 'name' in p && p.name !== undefined ? { name: p.name } : {};
  if (isCustomer(p)) return { id: p.sub, role: p.role, org: p.org, ...name };
  if (p.role === 'agent') return { id: p.sub, role: p.role, vendor: p.vendor, ...name };
  return { id: p.sub, role: p.role, ...name };
};

/** the longest display name kept; a longer one is cut (at a whole character) */
export const MAX_DISPLAY_NAME = 100;

/**
 * The optional `name` claim (OIDC's standard claim) as a display name: whitespace and
 * control characters collapsed to single spaces, cut at {@link MAX_DISPLAY_NAME}. Absent
 * when missing or blank, and when it holds an `@` (identity providers often put the e-mail
 * address there, which customers must never be shown). A claim that is not a string is
 * malformed (`invalid-claims`, like any other claim).
 */
export const displayNameClaim = (claims: Readonly<Record<string, unknown>>): string | undefined => {
  const value = claims.name;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid('name', 'a display name such as "Eve Martin"');
  // eslint-disable-next-line no-control-regex
  const name = [...value.replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, ' ').trim()].slice(0, MAX_DISPLAY_NAME).join('');
  return name === '' || name.includes('@') ? undefined : name.trimEnd();
};

const EMAIL = /^[^\s@]+@([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+)$/;
const DOMAIN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;
const LANGUAGE = /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/;
const IDENT = /^[a-z0-9][a-z0-9._:-]{0,99}$/;

/**
 * Reads a principal from verified claims. Throws {@link Unauthenticated} (`invalid-claims`)
 * naming the first claim that is missing or malformed; unknown extra claims are ignored.
 */
export function parsePrincipal(claims: Readonly<Record<string, unknown>>): Principal {
  const role = claims.role;
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    throw invalid('role', `one of ${ROLES.join(', ')}`);
  }
  const sub = claims.sub;
  if (typeof sub !== 'string' || sub.trim() === '' || sub.length > 255) throw invalid('sub', 'a non-empty string');

  if (role === 'system') {
    return claims.email === undefined ? { role, sub } : { role, sub, email: email(claims) };
  }
  const address = email(claims);
  const name = displayNameClaim(claims);
  const base = { sub, email: address, ...(name === undefined ? {} : { name }) };
  switch (role as Exclude<Role, 'system'>) {
    case 'support-admin':
    case 'customer-admin': {
      const org = lower(claims.org);
      if (org === undefined || !DOMAIN.test(org)) throw invalid('org', 'an organisation domain such as acme.example');
      const privileges =
        claims.privileges === undefined
          ? []
          : list(claims, 'privileges', IDENT, 'a list of privilege names such as support', false);
      const customerRole = privileges.includes(SUPPORT_PRIVILEGE) ? 'support-admin' : 'customer-admin';
      return { role: customerRole, ...base, org, privileges };
    }
    case 'agent': {
      const vendor = lower(claims.vendor);
      if (vendor === undefined || !IDENT.test(vendor)) throw invalid('vendor', 'a vendor id');
      return {
        role: 'agent',
        ...base,
        vendor,
        languages: list(claims, 'languages', LANGUAGE, 'a non-empty list of language codes such as fr, en'),
        regions: list(claims, 'regions', IDENT, 'a non-empty list of region ids such as emea'),
      };
    }
    case 'supervisor':
      return { role: 'supervisor', ...base };
    case 'auditor':
      return { role: 'auditor', ...base };
  }
}

/** the domain part of an address, lower-cased */
export const emailDomain = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

function email(claims: Readonly<Record<string, unknown>>): string {
  const value = lower(claims.email);
  if (value === undefined || value.length > 320 || !EMAIL.test(value)) throw invalid('email', 'an e-mail address');
  return value;
}

function list(
  claims: Readonly<Record<string, unknown>>,
  name: string,
  item: RegExp,
  what: string,
  nonEmpty = true,
): string[] {
  const value = claims[name];
  if (!Array.isArray(value) || (nonEmpty && value.length === 0) || value.length > 50) throw invalid(name, what);
  const items = value.map(lower);
  if (items.some((v) => v === undefined || !item.test(v))) throw invalid(name, what);
  return [...new Set(items as string[])];
}

const lower = (v: unknown): string | undefined => (typeof v === 'string' ? v.trim().toLowerCase() : undefined);

const invalid = (claim: string, expected: string): Unauthenticated =>
  new Unauthenticated('invalid-claims', `The bearer token's "${claim}" claim must be ${expected}.`, { claim });
