import type { AppendResult, EventStore } from '@app/event-store';

/**
 * The auditors are audited: every read of audit history is itself an event, appended to the
 * day's access stream `audit-access-<yyyy-mm-dd>` (UTC) before the answer is given. The
 * stream is chained and verified like any other, and covered by checkpoints. One stream a
 * day keeps streams short and makes "who read what on that day" one stream read; writers
 * append with expected version 'any', as reads do not compete for a state.
 */
export const AUDIT_ACCESS_EVENT = 'AuditHistoryRead';
export const AUDIT_ACCESS_STREAM_PREFIX = 'audit-access-';

export interface AuditReader {
  readonly id: string;
  readonly role: string;
  readonly email?: string;
}

export interface AuditAccess {
  readonly reader: AuditReader;
  /** the right exercised: audit.read, audit.verify, audit.export */
  readonly action: string;
  /** what was read, e.g. `GET /v1/audit/cases/…?asOf=…` or `casectl audit replay …` */
  readonly resource: string;
  readonly at: Date;
  readonly correlationId?: string;
}

export const auditAccessStreamId = (at: Date): string =>
  `${AUDIT_ACCESS_STREAM_PREFIX}${at.toISOString().slice(0, 10)}`;

/** Appends the access event; the read must not be answered if this fails. */
export const recordAuditAccess = (
  store: EventStore,
  { reader, action, resource, at, correlationId }: AuditAccess,
): Promise<AppendResult> =>
  store.appendToStream(
    auditAccessStreamId(at),
    [
      {
        type: AUDIT_ACCESS_EVENT,
        data: {
          readerId: reader.id,
          role: reader.role,
          ...(reader.email ? { email: reader.email } : {}),
          action,
          resource,
          at: at.toISOString(),
        },
        metadata: { actor: { id: reader.id, role: reader.role }, ...(correlationId ? { correlationId } : {}) },
      },
    ],
    'any',
  );
