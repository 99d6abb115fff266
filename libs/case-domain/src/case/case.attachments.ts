import type { CaseEventDataMap, CaseEventType } from './case.events';
import type { Attachment } from './case.types';

/** a case event's type and data (a stored event's `schemaVersion` and metadata are not read) */
type CaseEventData = { [T in CaseEventType]: { readonly type: T; readonly data: CaseEventDataMap[T] } }[CaseEventType];

/**
 * The files a case's event names by reference (R11): the customer's answers (`InfoProvided`)
 * and replies (`CustomerReplied`). A stored file is reachable only through a case whose
 * events name it (the API's download route asks this of the case's stream).
 */
export const attachmentsOf = (event: CaseEventData): readonly Attachment[] => {
  switch (event.type) {
    case 'InfoProvided':
      return event.data.attachments;
    case 'CustomerReplied':
      return event.data.attachments ?? [];
    default:
      return [];
  }
};

/** The attachment of this SHA-256 named by one of the events (the first, oldest first), or undefined. */
export const referencedAttachment = (
  events: readonly CaseEventData[],
  sha256: string,
): Attachment | undefined => {
  const wanted = sha256.toLowerCase();
  for (const event of events) {
    const found = attachmentsOf(event).find((a) => a.sha256.toLowerCase() === wanted);
    if (found) return found;
  }
  return undefined;
};
