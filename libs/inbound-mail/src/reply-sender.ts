/** Who the write of an e-mail reply is recorded as (the event's `byId` and metadata actor). */
export interface ReplyActor {
  readonly id: string;
  readonly role: 'support-admin';
  /** the case's organisation (R3) */
  readonly org: string;
}

/** The case, as far as the sender rule needs it: its organisation and its requester. */
export interface CaseParties {
  /** the organisation's domain, e.g. `acme.example` (R3: the tenant) */
  readonly tenant: string;
  readonly requester: { readonly id: string; readonly email: string };
}

export type SenderVerdict =
  | { readonly allowed: true; readonly actor: ReplyActor; readonly asRequester: boolean }
  | { readonly allowed: false; readonly reason: 'not-an-address' | 'consumer-domain' | 'outside-organisation' };

const ADDRESS = /^[^\s@<>]+@([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+)$/;

/**
 * Who may answer a case by e-mail: the sender (the message's `From`, one address) must be
 * the case's requester, or an address whose domain **is** the case's organisation's domain
 * (the tenant: `ana@acme.example` and `bob@acme.example` for `acme.example`; not
 * `x@eu.acme.example`, a subdomain, nor `x@acme.example.net`), and that domain must not be a
 * consumer domain (R2, `isConsumerDomain` of the access policy: gmail.com is nobody's
 * organisation). Addresses compare without case.
 *
 * The requester is recorded as themselves (their id, as when they answer through the API);
 * anyone else of the organisation as a support admin whose id is their address, since an
 * address has no account id (docs/domain-model.md, "A reply by e-mail").
 */
export const replySender = (
  from: string,
  parties: CaseParties,
  isConsumerDomain: (domain: string) => boolean,
): SenderVerdict => {
  const address = from.trim().toLowerCase();
  const match = ADDRESS.exec(address);
  if (!match) return { allowed: false, reason: 'not-an-address' };
  const org = parties.tenant.trim().toLowerCase();
  if (address === parties.requester.email.trim().toLowerCase())
    return { allowed: true, asRequester: true, actor: { id: parties.requester.id, role: 'support-admin', org } };
  if (isConsumerDomain(match[1])) return { allowed: false, reason: 'consumer-domain' };
  if (match[1] !== org || isConsumerDomain(org)) return { allowed: false, reason: 'outside-organisation' };
  return { allowed: true, asRequester: false, actor: { id: address, role: 'support-admin', org } };
};
