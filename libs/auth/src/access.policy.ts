import { ACCESS_MATRIX, type Action, type ActionSpec, ROLE_LABELS } from './access-matrix';
import { type AccessRefused, ActionForbidden, ConsumerAccount, MissingPrivilege, ReadOnlyAccess } from './auth.errors';
import { ALWAYS_CONSUMER_DOMAINS, DEFAULT_CONSUMER_DOMAINS } from './consumer-domains';
import { emailDomain, isCustomer, type Principal, SUPPORT_PRIVILEGE } from './principal';

export interface AccessPolicyOptions {
  /** replaces {@link DEFAULT_CONSUMER_DOMAINS} (gmail.com and googlemail.com stay refused) */
  readonly consumerDomains?: readonly string[];
}

/** The access rules, pure: no I/O, no clock. */
export interface AccessPolicy {
  /** the refusal for this principal and action, or `null` when allowed */
  refusal(principal: Principal, action: Action): AccessRefused | null;
  /** throws the {@link AccessRefused} from {@link refusal} */
  authorize(principal: Principal, action: Action): void;
  /** every action this principal may take (e.g. to offer only those in a UI) */
  allowedActions(principal: Principal): Action[];
  /** R2: whether an address is on a consumer domain (the domain or one of its subdomains) */
  isConsumerEmail(email: string): boolean;
  /** R2: whether a domain (e.g. a token's `org`) is a consumer domain or one of its subdomains */
  isConsumerDomain(domain: string): boolean;
  /** R3, R4: see {@link canSeeCase} */
  canSeeCase(principal: Principal, caseTenant: string, caseLanguage: string, routedVendorId: string | null): boolean;
}

export function createAccessPolicy(options: AccessPolicyOptions = {}): AccessPolicy {
  const consumer = new Set(
    [...ALWAYS_CONSUMER_DOMAINS, ...(options.consumerDomains ?? DEFAULT_CONSUMER_DOMAINS)].map(normalise),
  );

  const isConsumerDomain = (domain: string): boolean => {
    const labels = normalise(domain).split('.');
    // acme.mail.yahoo.com is refused like yahoo.com: check every parent domain
    return labels.some((_, i) => consumer.has(labels.slice(i).join('.')));
  };
  const isConsumerEmail = (email: string): boolean => isConsumerDomain(emailDomain(email));

  const refusal = (principal: Principal, action: Action): AccessRefused | null => {
    const spec: ActionSpec = ACCESS_MATRIX[action];
    if (isCustomer(principal)) {
      // R2 before R1: a consumer account is refused even with the privilege
      if (isConsumerEmail(principal.email)) return new ConsumerAccount(principal.email, emailDomain(principal.email));
      // …and so is a company address signing in for a consumer domain: gmail.com is no organisation (tenant)
      if (isConsumerDomain(principal.org)) return new ConsumerAccount(principal.email, principal.org, 'org');
      // R1 reads the privilege itself, so a hand-built principal cannot skip it by its label
      if (spec.roles.includes('support-admin') && !principal.privileges.includes(SUPPORT_PRIVILEGE)) {
        return new MissingPrivilege(SUPPORT_PRIVILEGE, principal.email, principal.org);
      }
    }
    if (principal.role === 'auditor' && spec.write) return new ReadOnlyAccess(principal.role, action, spec.description);
    if (spec.roles.includes(principal.role)) return null;
    return new ActionForbidden(principal.role, action, ROLE_LABELS[principal.role], spec.description);
  };

  return {
    refusal,
    authorize(principal, action) {
      const refused = refusal(principal, action);
      if (refused) throw refused;
    },
    allowedActions: (principal) =>
      (Object.keys(ACCESS_MATRIX) as Action[]).filter((action) => refusal(principal, action) === null),
    isConsumerEmail,
    isConsumerDomain,
    canSeeCase,
  };
}

/**
 * R3 tenancy and R4 vendors for one case. Customers see only their organisation's cases
 * (the API answers 404 otherwise, so a case's existence does not leak); agents only cases
 * routed to their vendor (`routedVendorId`, from the case's latest `Routed`; null when the
 * case is routed to no vendor) and in one of their languages; supervisors, auditors and
 * the system all. Languages match on the primary subtag as well: an agent speaking `fr`
 * sees `fr-ca`.
 */
export function canSeeCase(
  principal: Principal,
  caseTenant: string,
  caseLanguage: string,
  routedVendorId: string | null,
): boolean {
  switch (principal.role) {
    case 'support-admin':
    case 'customer-admin':
      return principal.org === normalise(caseTenant);
    case 'agent': {
      // R4: vendors are vetted third parties; a case is confidential to the one it is routed to
      if (routedVendorId === null || normalise(routedVendorId) !== principal.vendor) return false;
      const language = normalise(caseLanguage);
      const primary = language.split('-')[0];
      return principal.languages.some((spoken) => spoken === language || spoken === primary);
    }
    case 'supervisor':
    case 'auditor':
    case 'system':
      return true;
  }
}

const defaultPolicy = createAccessPolicy();

/** Throws the refusal (403 material) when `principal` may not take `action`; default consumer domains. */
export const authorize = (principal: Principal, action: Action): void => defaultPolicy.authorize(principal, action);

function normalise(s: string): string {
  return s.trim().toLowerCase();
}
