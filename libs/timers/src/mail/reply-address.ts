import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** hex characters of the signature in the address: 64 bits, a forgery chance of 2^-64 per try */
const SIGNATURE_LENGTH = 16;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The `Reply-To` address of a case's e-mails, `case+<caseId>.<signature>@<INBOUND_DOMAIN>`:
 * a reply to it is filed on that case, and on no other, because the signature (HMAC-SHA-256
 * of the case id, with a key derived from the app's local secret, info `reply-address/v1`)
 * cannot be made for another case without the secret. The local part is 58 characters (the
 * limit is 64).
 */
export class ReplyAddresses {
  private readonly key: Buffer;
  private readonly domain: string;

  constructor(secret: Uint8Array, domain: string) {
    if (secret.byteLength < 32) throw new TypeError('The reply address secret must be at least 32 bytes');
    if (!/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i.test(domain))
      throw new TypeError(`${JSON.stringify(domain)} is not a mail domain`);
    this.key = Buffer.from(hkdfSync('sha256', secret, 'support-case-backend', 'reply-address/v1', 32));
    this.domain = domain.toLowerCase();
  }

  /** The address replies to this case's e-mails go to. */
  addressFor(caseId: string): string {
    if (!UUID.test(caseId)) throw new TypeError(`${JSON.stringify(caseId)} is not a case id`);
    return `case+${caseId}.${this.signature(caseId)}@${this.domain}`;
  }

  /**
   * The case an address names, or null when it is not one of ours: another domain, another
   * shape, or a signature that does not match (a forged or mistyped address). Case-insensitive,
   * as mail servers may change the case of an address.
   */
  caseOf(address: string): string | null {
    const match = /^case\+([0-9a-f-]{36})\.([0-9a-f]+)@(.+)$/.exec(address.trim().toLowerCase());
    if (!match || match[3] !== this.domain || !UUID.test(match[1])) return null;
    const [, caseId, given] = match;
    const expected = Buffer.from(this.signature(caseId));
    const actual = Buffer.from(given);
    return actual.length === expected.length && timingSafeEqual(actual, expected) ? caseId : null;
  }

  private signature(caseId: string): string {
    return createHmac('sha256', this.key).update(`case:${caseId}`).digest('hex').slice(0, SIGNATURE_LENGTH);
  }
}
