/**
 * The case page: the case as GET /v1/cases/{id} answers the caller (staff, or the customer's
 * audience), its timeline from GET /v1/cases/{id}/events, the SLA clocks, and the actions
 * the caller's role has. Every refusal shows the API's sentence. Live: an event of this case
 * on the stream reloads it (the case and its events are read from the log, not a read model).
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { download, getJson, postJson, request, sentenceOf } from '../api';
import { useLiveRefresh, useLoad } from '../hooks';
import { formatDateTime, formatDuration, t } from '../i18n';

interface Attachment {
  name: string;
  size: number;
  contentType: string;
  sha256: string;
}
interface Clock {
  state: string;
  usedMs: number;
  targetMs?: number;
  remainingMs?: number;
  dueAt?: string;
}
interface CaseView {
  id: string;
  status: string;
  priority: string;
  subject: string;
  description: string;
  tenant: string;
  language: string;
  assigneeId?: string;
  assigneeName?: string;
  incidentId?: string;
  pendingInfoRequest?: { items: string[]; since: string };
  sla?: { firstResponse?: Clock; resolution?: Clock };
  version: number;
}
interface RecordedEvent {
  type: string;
  version: number;
  recordedAt: string;
  data: Record<string, unknown> & { attachments?: Attachment[] };
  metadata: { actor?: { id?: string; name?: string; role?: string } };
}

const ITEMS = ['reproduction-steps', 'troubleshooting', 'logs', 'message-headers'];
const TARGETS = ['product-team', 'third-party', 'supervisor'];
const OUTCOMES = ['solved', 'feature-request', 'cannot-reproduce', 'third-party', 'out-of-scope', 'outage'];
/** the events a timeline shows; the rest (routing, SLA bookkeeping, notifications) stay in the audit */
const SHOWN = new Set([
  'Opened',
  'AgentAssigned',
  'AgentResponded',
  'InfoRequested',
  'InfoProvided',
  'CustomerReplied',
  'Escalated',
  'InternalNoteAdded',
  'LinkedToIncident',
  'Resolved',
  'Reopened',
  'CreditRequested',
  'CreditIssued',
  'IncidentReportRequested',
  'IncidentReportSent',
  'SurveyAnswered',
  'Closed',
  'CustomerReminded',
]);

const whoOf = (e: RecordedEvent): string =>
  String(e.data.byName ?? e.data.agentName ?? e.metadata.actor?.name ?? e.metadata.actor?.id ?? e.data.byId ?? '');

const AttachmentList = ({ caseId, files }: { caseId: string; files: Attachment[] }) => (
  <div>
    <h4>{t('attachments')}</h4>
    <ul class="files">
      {files.map((f) => (
        <li>
          <button
            type="button"
            class="link"
            onClick={() => void download(`/v1/cases/${caseId}/attachments/${f.sha256}`, f.name)}
          >
            {t('downloadFile', { name: f.name })}
          </button>{' '}
          <span class="hint">
            ({f.contentType}, {f.size} B)
          </span>
        </li>
      ))}
    </ul>
  </div>
);

export const Timeline = ({ caseId, events }: { caseId: string; events: RecordedEvent[] }) => (
  <ol class="timeline">
    {events
      .filter((e) => SHOWN.has(e.type))
      .map((e) => {
        const note = e.type === 'InternalNoteAdded';
        const title = t(`event.${e.type}`, {
          who: whoOf(e),
          target: t(`target.${String(e.data.target ?? '')}`),
          outcome: t(`outcome.${String(e.data.outcome ?? '')}`),
          type: e.type,
        });
        const paragraphs = [
          e.data.message,
          e.data.description,
          e.data.summary,
          e.data.reason,
          e.data.recommendations,
          e.data.comment,
        ].filter((v): v is string => typeof v === 'string' && v.length > 0);
        return (
          <li class={note ? 'event note' : 'event'} data-type={e.type}>
            <h3>
              {note && <span class="badge note">{t('internalNote')}</span>} {title}{' '}
              <time dateTime={e.recordedAt}>{formatDateTime(e.recordedAt)}</time>
            </h3>
            {e.type === 'Opened' && <p class="subject">{String(e.data.subject ?? '')}</p>}
            {Array.isArray(e.data.items) && (
              <ul class="items">
                {(e.data.items as string[]).map((i) => (
                  <li>{t(`item.${i}`)}</li>
                ))}
              </ul>
            )}
            {paragraphs.map((p) => (
              <p class="message">{p}</p>
            ))}
            {e.data.attachments && e.data.attachments.length > 0 && (
              <AttachmentList caseId={caseId} files={e.data.attachments} />
            )}
          </li>
        );
      })}
  </ol>
);

const ClockLine = ({ label, clock }: { label: string; clock?: Clock }) =>
  clock ? (
    <div class={`clock ${clock.state}`}>
      <dt>{label}</dt>
      <dd>
        <strong>{t(`clock.${clock.state}`)}</strong>
        {clock.remainingMs !== undefined && clock.state === 'running' && (
          <> · {t('remaining', { time: formatDuration(clock.remainingMs) })}</>
        )}
        {clock.state !== 'running' && <> · {t('used', { time: formatDuration(clock.usedMs) })}</>}
        {clock.dueAt && clock.state === 'running' && <> · {t('dueAt', { at: formatDateTime(clock.dueAt) })}</>}
      </dd>
    </div>
  ) : null;

/** a form whose submit sends one request; the API's refusal sentence shows under it */
const ActionForm = (props: {
  id: string;
  title: string;
  submit: string;
  send: (data: FormData, form: HTMLFormElement) => Promise<unknown>;
  onDone: () => void;
  children: ComponentChildren;
}) => {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="action"
      aria-labelledby={`${props.id}-title`}
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(undefined);
        try {
          const form = e.currentTarget as HTMLFormElement;
          await props.send(new FormData(form), form);
          form.reset();
          props.onDone();
        } catch (err) {
          setError(sentenceOf(err));
        } finally {
          setBusy(false);
        }
      }}
    >
      <h3 id={`${props.id}-title`}>{props.title}</h3>
      {props.children}
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {props.submit}
      </button>
    </form>
  );
};

const TextArea = ({ id, label, required = true }: { id: string; label: string; required?: boolean }) => (
  <p>
    <label for={id}>{label}</label>
    <textarea id={id} name={id.split('-').pop()} required={required} rows={3} />
  </p>
);

const text = (data: FormData, name: string) => String(data.get(name) ?? '');

const StaffActions = ({ c, role, done }: { c: CaseView; role: string; done: () => void }) => {
  const [outcome, setOutcome] = useState('solved');
  const path = `/v1/cases/${c.id}`;
  const incidents = useLoad(
    () => getJson<{ items: Array<{ id: string; title: string; status: string }> }>('/v1/incidents'),
    [],
  );
  return (
    <section aria-labelledby="actions-title" class="actions">
      <h2 id="actions-title">{t('actions')}</h2>
      {!c.assigneeId && (
        <ActionForm
          id="claim"
          title={t('claim')}
          submit={t('claim')}
          send={() => postJson(`${path}/assignment`, {})}
          onDone={done}
        >
          {null}
        </ActionForm>
      )}
      <ActionForm
        id="respond"
        title={t('respond')}
        submit={t('send')}
        onDone={done}
        send={(d) => postJson(`${path}/responses`, { message: text(d, 'message') })}
      >
        <TextArea id="respond-message" label={t('message')} />
      </ActionForm>
      <ActionForm
        id="info"
        title={t('requestInfo')}
        submit={t('requestInfo')}
        onDone={done}
        send={(d) => postJson(`${path}/info-requests`, { items: d.getAll('items'), message: text(d, 'message') })}
      >
        <fieldset>
          <legend>{t('items')}</legend>
          {ITEMS.map((i) => (
            <label class="check">
              <input type="checkbox" name="items" value={i} /> {t(`item.${i}`)}
            </label>
          ))}
        </fieldset>
        <TextArea id="info-message" label={t('message')} />
      </ActionForm>
      <ActionForm
        id="escalate"
        title={t('escalate')}
        submit={t('escalate')}
        onDone={done}
        send={(d) => postJson(`${path}/escalations`, { target: text(d, 'target'), reason: text(d, 'reason') })}
      >
        <p>
          <label for="escalate-target">{t('target')}</label>
          <select id="escalate-target" name="target">
            {TARGETS.map((x) => (
              <option value={x}>{t(`target.${x}`)}</option>
            ))}
          </select>
        </p>
        <TextArea id="escalate-reason" label={t('reason')} />
      </ActionForm>
      <ActionForm
        id="incident"
        title={t('linkIncident')}
        submit={t('linkIncident')}
        onDone={done}
        send={(d) => postJson(`${path}/incident-link`, { incidentId: text(d, 'incidentId') })}
      >
        <p>
          <label for="incident-id">{t('chooseIncident')}</label>
          <select id="incident-id" name="incidentId" required>
            {(incidents.data?.items ?? []).map((i) => (
              <option value={i.id}>
                {i.title} ({i.status})
              </option>
            ))}
          </select>
        </p>
      </ActionForm>
      <ActionForm
        id="resolve"
        title={t('resolve')}
        submit={t('resolve')}
        onDone={done}
        send={(d) => {
          const body: Record<string, unknown> = { outcome, summary: text(d, 'summary') };
          if (outcome === 'cannot-reproduce') body.recommendations = text(d, 'recommendations');
          if (outcome === 'feature-request' && text(d, 'featureRequestUrl'))
            body.featureRequestUrl = text(d, 'featureRequestUrl');
          return postJson(`${path}/resolution`, body);
        }}
      >
        <p>
          <label for="resolve-outcome">{t('outcome')}</label>
          <select
            id="resolve-outcome"
            name="outcome"
            value={outcome}
            onChange={(e) => setOutcome((e.target as HTMLSelectElement).value)}
          >
            {OUTCOMES.map((o) => (
              <option value={o}>{t(`outcome.${o}`)}</option>
            ))}
          </select>
        </p>
        <TextArea id="resolve-summary" label={t('summary')} />
        {outcome === 'cannot-reproduce' && <TextArea id="resolve-recommendations" label={t('recommendations')} />}
        {outcome === 'feature-request' && (
          <p>
            <label for="resolve-featureRequestUrl">{t('featureRequestUrl')}</label>
            <input id="resolve-featureRequestUrl" name="featureRequestUrl" type="url" />
          </p>
        )}
      </ActionForm>
      {role === 'supervisor' && (
        <>
          <ActionForm
            id="assign"
            title={t('reassign')}
            submit={t('reassign')}
            onDone={done}
            send={(d) => postJson(`${path}/assignment`, { agentId: text(d, 'agentId') })}
          >
            <p>
              <label for="assign-agentId">{t('agentId')}</label>
              <input id="assign-agentId" name="agentId" type="text" required />
            </p>
          </ActionForm>
          <ActionForm
            id="priority"
            title={t('changePriority')}
            submit={t('changePriority')}
            onDone={done}
            send={(d) => postJson(`${path}/priority`, { priority: text(d, 'priority'), reason: text(d, 'reason') })}
          >
            <p>
              <label for="priority-priority">{t('priority')}</label>
              <select id="priority-priority" name="priority">
                {['P1', 'P2', 'P3', 'P4'].map((p) => (
                  <option value={p} selected={p === c.priority}>
                    {p}
                  </option>
                ))}
              </select>
            </p>
            <TextArea id="priority-reason" label={t('reason')} />
          </ActionForm>
          <ActionForm
            id="credit"
            title={t('issueCredit')}
            submit={t('issueCredit')}
            onDone={done}
            send={(d) =>
              postJson(`${path}/credits`, { amount: Number(text(d, 'amount')), currency: text(d, 'currency') })
            }
          >
            <p>
              <label for="credit-amount">{t('amount')}</label>
              <input id="credit-amount" name="amount" type="number" min="0" step="0.01" required />
            </p>
            <p>
              <label for="credit-currency">{t('currency')}</label>
              <input id="credit-currency" name="currency" type="text" value="EUR" pattern="[A-Z]{3}" required />
            </p>
          </ActionForm>
        </>
      )}
      {(role === 'agent' || role === 'supervisor') && (
        <ActionForm
          id="note"
          title={t('addNote')}
          submit={t('addNote')}
          onDone={done}
          send={(d) => postJson(`${path}/notes`, { message: text(d, 'message') })}
        >
          <TextArea id="note-message" label={t('message')} />
        </ActionForm>
      )}
    </section>
  );
};

/** uploads the chosen files, then names them in the answer (the API stores bytes first) */
const uploadFiles = async (caseId: string, files: File[]): Promise<Attachment[] | undefined> => {
  if (files.length === 0) return undefined;
  const form = new FormData();
  for (const file of files) form.append('file', file, file.name);
  const res = await request(`/v1/cases/${caseId}/attachments`, { method: 'POST', form });
  return ((await res.json()) as { attachments: Attachment[] }).attachments;
};

const CustomerActions = ({ c, done }: { c: CaseView; done: () => void }) => {
  const path = `/v1/cases/${c.id}`;
  const answer = (route: string) => async (d: FormData) => {
    const files = d.getAll('files').filter((f): f is File => f instanceof File && f.size > 0);
    const attachments = await uploadFiles(c.id, files);
    return postJson(`${path}/${route}`, { message: text(d, 'message'), ...(attachments ? { attachments } : {}) });
  };
  return (
    <section aria-labelledby="actions-title" class="actions">
      <h2 id="actions-title">{t('actions')}</h2>
      {c.pendingInfoRequest && (
        <ActionForm id="provide" title={t('provideInfo')} submit={t('send')} onDone={done} send={answer('info')}>
          <TextArea id="provide-message" label={t('message')} />
          <p>
            <label for="provide-files">{t('files')}</label>
            <input id="provide-files" name="files" type="file" multiple />
          </p>
        </ActionForm>
      )}
      {c.status !== 'closed' && (
        <ActionForm id="reply" title={t('reply')} submit={t('send')} onDone={done} send={answer('replies')}>
          <TextArea id="reply-message" label={t('message')} />
          <p>
            <label for="reply-files">{t('files')}</label>
            <input id="reply-files" name="files" type="file" multiple />
          </p>
        </ActionForm>
      )}
      {c.status === 'resolved' && (
        <ActionForm
          id="reopen"
          title={t('reopen')}
          submit={t('reopen')}
          onDone={done}
          send={(d) => postJson(`${path}/reopen`, { reason: text(d, 'reason') })}
        >
          <TextArea id="reopen-reason" label={t('reason')} />
        </ActionForm>
      )}
      <ActionForm
        id="credit"
        title={t('requestCredit')}
        submit={t('requestCredit')}
        onDone={done}
        send={(d) => postJson(`${path}/credit-requests`, { reason: text(d, 'reason') })}
      >
        <TextArea id="credit-reason" label={t('reason')} />
      </ActionForm>
      <ActionForm
        id="report"
        title={t('requestIncidentReport')}
        submit={t('requestIncidentReport')}
        onDone={done}
        send={() => postJson(`${path}/incident-report-requests`, {})}
      >
        {null}
      </ActionForm>
    </section>
  );
};

export const CasePage = ({ id, role }: { id: string; role: string }) => {
  const view = useLoad(async () => {
    const [c, events] = await Promise.all([
      getJson<CaseView>(`/v1/cases/${id}`),
      getJson<{ events: RecordedEvent[] }>(`/v1/cases/${id}/events`),
    ]);
    return { c, events: events.events };
  }, [id]);
  useLiveRefresh(
    (e) => e.caseId === id,
    () => view.reload(),
    true,
  );
  const c = view.data?.c;
  const staff = role !== 'support-admin';
  return (
    <article aria-labelledby="case-title">
      {view.error && (
        <p role="alert" class="error">
          {view.error}
        </p>
      )}
      {!c && !view.error && <p>{t('loading')}</p>}
      {c && view.data && (
        <>
          <h1 id="case-title">{t('caseTitle', { subject: c.subject })}</h1>
          <dl class="facts">
            <div>
              <dt>{t('status')}</dt>
              <dd data-status={c.status}>{t(`status.${c.status}`)}</dd>
            </div>
            <div>
              <dt>{t('priority')}</dt>
              <dd>{c.priority}</dd>
            </div>
            <div>
              <dt>{t('customer')}</dt>
              <dd>{c.tenant}</dd>
            </div>
            <div>
              <dt>{t('assignee')}</dt>
              <dd>{c.assigneeId ?? c.assigneeName ?? t('nobody')}</dd>
            </div>
            {c.incidentId && (
              <div>
                <dt>{t('incident')}</dt>
                <dd>{c.incidentId}</dd>
              </div>
            )}
          </dl>
          {c.pendingInfoRequest && (
            <p class="pending">
              {t('pendingRequest', {
                at: formatDateTime(c.pendingInfoRequest.since),
                items: c.pendingInfoRequest.items.map((i) => t(`item.${i}`)).join(', '),
              })}
            </p>
          )}
          {c.sla && (
            <section aria-labelledby="sla-title">
              <h2 id="sla-title">{t('slaClocks')}</h2>
              <dl class="clocks">
                <ClockLine label={t('firstResponse')} clock={c.sla.firstResponse} />
                <ClockLine label={t('resolutionClock')} clock={c.sla.resolution} />
              </dl>
            </section>
          )}
          <div class="case-body">
            <section aria-labelledby="timeline-title">
              <h2 id="timeline-title">{t('timeline')}</h2>
              <Timeline caseId={c.id} events={view.data.events} />
            </section>
            {role === 'auditor' ? null : staff ? (
              <StaffActions c={c} role={role} done={() => view.reload()} />
            ) : (
              <CustomerActions c={c} done={() => view.reload()} />
            )}
          </div>
        </>
      )}
    </article>
  );
};
