import type { Attachment } from './case.types';

/** An event as read from a case's stream, or as an audience is shown it: its type and data. */
export interface EventWithData {
  readonly type: string;
  readonly data: unknown;
}

/** the event types whose data names attachments (`attachments: Attachment[]`) */
const WITH_ATTACHMENTS: ReadonlySet<string> = new Set(['InfoProvided', 'CustomerReplied']);

const isAttachment = (value: unknown): value is Attachment => {
  const a = value as Partial<Attachment> | null;
  return (
    typeof a === 'object' &&
    a !== null &&
    typeof a.name === 'string' &&
    typeof a.size === 'number' &&
    typeof a.contentType === 'string' &&
    typeof a.sha256 === 'string'
  );
};

/**
 * The files a case's event names by reference (R11): the customer's answers (`InfoProvided`)
 * and replies (`CustomerReplied`; one written before replies had files names none). A stored
 * file is reachable only through a case whose events name it: the API's download route asks
 * this of the events the caller may see.
 */
export const attachmentsOf = (event: EventWithData): readonly Attachment[] => {
  if (!WITH_ATTACHMENTS.has(event.type)) return [];
  const attachments = (event.data as { attachments?: unknown } | null)?.attachments;
  return Array.isArray(attachments) ? attachments.filter(isAttachment) : [];
};

/** The attachment of this SHA-256 named by one of the events (the first, oldest first), or undefined. */
export const referencedAttachment = (events: readonly EventWithData[], sha256: string): Attachment | undefined => {
  const wanted = sha256.toLowerCase();
  for (const event of events) {
    const found = attachmentsOf(event).find((a) => a.sha256.toLowerCase() === wanted);
    if (found) return found;
  }
  return undefined;
};
