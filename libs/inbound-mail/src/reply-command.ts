import type { Actor, Attachment, CaseCommand, CaseState } from '@app/case-domain';

/** An e-mail reply, once its text is extracted and its files stored. */
export interface InboundReply {
  /** what the customer wrote, without quote and signature ({@link replyText}); may be empty with files */
  readonly text: string;
  readonly attachments: readonly Attachment[];
}

/**
 * The command an e-mail reply becomes, on the case as it stands when the write is decided:
 * the information asked for (`ProvideInfo`, R11) when the case awaits the customer, which
 * ends the wait; else the customer writing on the case (`ReplyToCase`), which on a resolved
 * case reopens it within the reopen window (R15) and is refused on a closed one
 * (`CASE.ALREADY_CLOSED`): the domain decides both, not this function.
 */
export const replyCommand = (caseId: string, state: CaseState, reply: InboundReply, actor: Actor): CaseCommand => {
  const attachments = reply.attachments.length > 0 ? { attachments: reply.attachments } : {};
  if (state.status === 'awaiting-customer')
    return { type: 'ProvideInfo', caseId, actor, message: reply.text, ...attachments };
  return { type: 'ReplyToCase', caseId, actor, message: reply.text, ...attachments };
};
