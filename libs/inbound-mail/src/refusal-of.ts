import { DomainRuleViolation } from '@app/case-domain';
import { MailRefused, refusals } from './mail-refusal';

const codeOf = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;

/**
 * The SMTP answer to a failed write of a reply: the domain's refusals are final (a closed
 * case with the way out, any other with the domain's own sentence), a Message-ID recorded
 * with another content too; anything else (the database, contention, a bug) asks the
 * sender's server to try again, which the idempotency claim makes safe.
 */
export const refusalOf = (error: unknown, caseId: string, messageId: string): MailRefused => {
  if (error instanceof MailRefused) return error;
  if (codeOf(error) === 'CASE.ALREADY_CLOSED') return refusals.closed(caseId);
  if (codeOf(error) === 'CASE.NOT_FOUND') return refusals.unknownCase(caseId);
  if (codeOf(error) === 'IDEMPOTENCY.KEY_REUSED') return refusals.otherContent(messageId);
  if (error instanceof DomainRuleViolation) return refusals.refusedByCase(error.message);
  return refusals.tryLater(error);
};
