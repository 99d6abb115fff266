import { InvalidCommand } from '../../shared/domain-rule-violation';
import { requireOneOf, requireText } from '../../shared/validation';
import type { ProvideInfo, ReplyToCase, RequestInfo, RespondToCase } from '../case.commands';
import { caseEvent, type CaseEvent } from '../case.events';
import { evolve } from '../case.evolve';
import type { CaseState, OpenedCase } from '../case.state';
import { INFO_ITEMS, type Attachment } from '../case.types';
import { requireInProgress } from './guards';
import { inReopenWindow, reopenedEvent, requireReopenable, validCycleSlaTerms } from './resolution.decide';

/**
 * The conversation: agents answer or ask (R10, R11), customers answer or write. All of it
 * needs a case in progress: a resolved case is reopened first (R15; a customer's reply
 * reopens it), a closed one is over.
 */

export const respondToCase = (state: CaseState, c: RespondToCase, at: string): CaseEvent[] => {
  requireText('agentId', c.agentId);
  requireText('message', c.message);
  const current = requireInProgress(state, c);
  const firstResponse = current.cycleFirstRespondedAt === undefined;
  return [
    caseEvent('AgentResponded', {
      caseId: current.id,
      at,
      byId: c.actor.id,
      agentId: c.agentId,
      message: c.message,
      firstResponse,
    }),
  ];
};

/** R11: the case then waits on the customer; asking again while waiting adds items. */
export const requestInfo = (state: CaseState, c: RequestInfo, at: string): CaseEvent[] => {
  requireText('agentId', c.agentId);
  if (!Array.isArray(c.items) || c.items.length === 0) throw new InvalidCommand('items', 'must name at least one item');
  const items = [...new Set(c.items.map((item) => requireOneOf('items', item, INFO_ITEMS)))];
  requireText('message', c.message);
  const current = requireInProgress(state, c);
  const firstResponse = current.cycleFirstRespondedAt === undefined;
  return [
    caseEvent('InfoRequested', {
      caseId: current.id,
      at,
      byId: c.actor.id,
      agentId: c.agentId,
      items,
      message: c.message,
      firstResponse,
    }),
  ];
};

/**
 * R11: the customer's answer, text and attachments by reference. Accepted unasked too
 * (a customer may send logs before anyone asks); only an answer to a request ends the wait.
 */
export const provideInfo = (state: CaseState, c: ProvideInfo, at: string): CaseEvent[] => {
  const attachments = (c.attachments ?? []).map(validAttachment);
  if (attachments.length === 0) requireText('message', c.message);
  else if (typeof c.message !== 'string') throw new InvalidCommand('message', 'must be text');
  const current = requireInProgress(state, c);
  const endsWait = current.status === 'awaiting-customer';
  return [
    caseEvent('InfoProvided', { caseId: current.id, at, byId: c.actor.id, message: c.message, attachments, endsWait }),
  ];
};

/**
 * The customer writes on the case. A reply on a resolved case within the reopen window
 * reopens it (R15: the survey e-mail says "reply on the case: it will be reopened"):
 * `Reopened`, then the reply, in one decision. A closed case is refused with the way out
 * (a new case that refers to it). Attachments by reference as in {@link provideInfo}: with
 * some, the message may be empty (an e-mail of files alone), and a reopen then gives
 * {@link REPLIED_WITH_ATTACHMENTS} as its reason.
 */
export const replyToCase = (state: CaseState, c: ReplyToCase, at: string): CaseEvent[] => {
  const attachments = (c.attachments ?? []).map(validAttachment);
  if (attachments.length === 0) requireText('message', c.message);
  else if (typeof c.message !== 'string') throw new InvalidCommand('message', 'must be text');
  const sla = validCycleSlaTerms(c.sla, at);
  const current = requireReopenable(state, c);
  const reason = c.message.trim() === '' ? REPLIED_WITH_ATTACHMENTS : c.message;
  const reopen = inReopenWindow(current) ? [reopenedEvent(current, c.actor.id, reason, sla, at)] : [];
  const replyTo = reopen.reduce(evolve, current as CaseState) as OpenedCase;
  const endsWait = replyTo.status === 'awaiting-customer';
  return [
    ...reopen,
    caseEvent('CustomerReplied', {
      caseId: current.id,
      at,
      byId: c.actor.id,
      message: c.message,
      ...(attachments.length === 0 ? {} : { attachments }),
      endsWait,
    }),
  ];
};

/** the reason of a reopen by a reply of attachments without text */
export const REPLIED_WITH_ATTACHMENTS = 'The customer replied with attachments.';

const SHA256 = /^[0-9a-f]{64}$/i;

const validAttachment = (a: Attachment, index: number): Attachment => {
  const field = `attachments[${index}]`;
  requireText(`${field}.name`, a?.name);
  if (!Number.isSafeInteger(a.size) || a.size < 0)
    throw new InvalidCommand(`${field}.size`, 'must be a whole number of bytes');
  requireText(`${field}.contentType`, a.contentType);
  if (!SHA256.test(String(a.sha256))) throw new InvalidCommand(`${field}.sha256`, 'must be 64 hexadecimal digits');
  return { name: a.name, size: a.size, contentType: a.contentType, sha256: a.sha256.toLowerCase() };
};
