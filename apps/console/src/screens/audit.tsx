/**
 * The auditor's screen: a case as it stood at a chosen moment (GET /v1/audit/cases/{id}?asOf=,
 * replayed from the log), chosen with a slider over the moments its events were recorded,
 * and the hash chain's verification (GET /v1/audit/verify), of the case's stream and of the
 * whole log. A queue as it stood at a moment (GET /v1/audit/queues/{id}?asOf=), with the same
 * kind of slider, over the last 24 hours minute by minute (a queue has no history of its own
 * to step through).
 */
import { useEffect, useState } from 'preact/hooks';
import { getJson, sentenceOf } from '../api';
import { useLoad } from '../hooks';
import { formatDateTime, t } from '../i18n';
import { navigate } from '../router';
import { Timeline } from './case';

interface AsOf {
  asOf: string;
  case: { id: string; status: string; priority: string; subject: string; assigneeId?: string; version: number };
  events: Array<{
    type: string;
    version: number;
    recordedAt: string;
    data: Record<string, unknown>;
    metadata: Record<string, never>;
  }>;
}
interface Verification {
  ok: boolean;
  streams: number;
  events: number;
  breaks: unknown[];
  firstBreak: { position?: number } | null;
}

const Verify = ({ stream }: { stream?: string }) => {
  const [result, setResult] = useState<Verification>();
  const [error, setError] = useState<string>();
  return (
    <div class="verify">
      <button
        type="button"
        onClick={() =>
          getJson<Verification>(`/v1/audit/verify${stream ? `?stream=${encodeURIComponent(stream)}` : ''}`).then(
            (r) => (setResult(r), setError(undefined)),
            (e: unknown) => setError(sentenceOf(e)),
          )
        }
      >
        {t('verifyChain')}
        {stream ? ` (${stream})` : ''}
      </button>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {result && (
        <p role="status" class={result.ok ? 'ok' : 'error'} data-chain={result.ok ? 'ok' : 'broken'}>
          {result.ok
            ? t('chainOk', { events: result.events, streams: result.streams })
            : t('chainBroken', { breaks: result.breaks.length, first: String(result.firstBreak?.position ?? '') })}
        </p>
      )}
    </div>
  );
};

const CaseAsOf = ({ caseId }: { caseId: string }) => {
  const history = useLoad(
    () => getJson<{ events: Array<{ recordedAt: string; type: string }> }>(`/v1/cases/${caseId}/events`),
    [caseId],
  );
  const moments = history.data?.events.map((e) => e.recordedAt) ?? [];
  const [index, setIndex] = useState<number>();
  const [view, setView] = useState<AsOf>();
  const [error, setError] = useState<string>();
  const at = index === undefined ? moments.length - 1 : index;
  const moment = moments[at];
  useEffect(() => {
    if (!moment) return;
    getJson<AsOf>(`/v1/audit/cases/${caseId}?asOf=${encodeURIComponent(moment)}`).then(
      (v) => (setView(v), setError(undefined)),
      (e: unknown) => setError(sentenceOf(e)),
    );
  }, [caseId, moment]);
  if (history.error)
    return (
      <p role="alert" class="error">
        {history.error}
      </p>
    );
  if (!history.data) return <p>{t('loading')}</p>;
  return (
    <section aria-labelledby="asof-title">
      <h2 id="asof-title">{view ? view.case.subject : caseId}</h2>
      <p>
        <label for="moment">{t('moment')}</label>{' '}
        <input
          id="moment"
          type="range"
          min={0}
          max={Math.max(0, moments.length - 1)}
          step={1}
          value={at}
          aria-valuetext={formatDateTime(moment)}
          onInput={(e) => setIndex(Number((e.target as HTMLInputElement).value))}
        />{' '}
        <output for="moment">{t('asOf', { at: formatDateTime(moment) })}</output>
      </p>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {view && (
        <>
          <dl class="facts">
            <div>
              <dt>{t('status')}</dt>
              <dd data-status={view.case.status}>{t(`status.${view.case.status}`)}</dd>
            </div>
            <div>
              <dt>{t('priority')}</dt>
              <dd>{view.case.priority}</dd>
            </div>
            <div>
              <dt>{t('assignee')}</dt>
              <dd>{view.case.assigneeId ?? t('nobody')}</dd>
            </div>
          </dl>
          <h3>{t('eventsUntil')}</h3>
          <Timeline caseId={caseId} events={view.events as never} />
        </>
      )}
      <Verify stream={`case-${caseId}`} />
    </section>
  );
};

interface QueueAsOfView {
  queue: string;
  asOf: string;
  cases: Array<{ caseId: string; subject: string; priority: string; status: string; vendorId: string | null }>;
  eventsReplayed: number;
}

const QUEUES = ['fr', 'en'].flatMap((l) => ['P1', 'P2', 'P3', 'P4'].map((p) => `${l}-${p}`));
const WINDOW_MINUTES = 24 * 60;

const QueueAsOf = () => {
  const [queue, setQueue] = useState('');
  // the window ends when the screen opened: the slider's last step is that minute
  const [end] = useState(() => Date.now());
  const [step, setStep] = useState(WINDOW_MINUTES);
  // the answer and the moment it was asked for (an older answer arriving late is not shown)
  const [view, setView] = useState<QueueAsOfView & { asked: string }>();
  const [error, setError] = useState<string>();
  const moment = new Date(end - (WINDOW_MINUTES - step) * 60_000).toISOString();
  useEffect(() => {
    if (!queue) return;
    getJson<QueueAsOfView>(`/v1/audit/queues/${encodeURIComponent(queue)}?asOf=${encodeURIComponent(moment)}`).then(
      (v) => (setView({ ...v, asked: moment }), setError(undefined)),
      (e: unknown) => (setView(undefined), setError(sentenceOf(e))),
    );
  }, [queue, moment]);
  return (
    <section aria-labelledby="queue-asof-title" class="queue-asof">
      <h2 id="queue-asof-title">{t('queueAsOfTitle')}</h2>
      <p>
        <label for="audit-queue">{t('chooseQueue')}</label>{' '}
        <select id="audit-queue" value={queue} onChange={(e) => setQueue((e.target as HTMLSelectElement).value)}>
          <option value="">—</option>
          {QUEUES.map((q) => (
            <option value={q}>{q}</option>
          ))}
        </select>
      </p>
      {queue && (
        <p>
          <label for="queue-moment">{t('queueMoment')}</label>{' '}
          <input
            id="queue-moment"
            type="range"
            min={0}
            max={WINDOW_MINUTES}
            step={1}
            value={step}
            aria-valuetext={formatDateTime(moment)}
            onInput={(e) => setStep(Number((e.target as HTMLInputElement).value))}
          />{' '}
          <output for="queue-moment">{t('asOf', { at: formatDateTime(moment) })}</output>
        </p>
      )}
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {view && view.asked === moment && view.queue === queue && (
        <div data-queue-as-of={view.asked}>
          {view.cases.length === 0 ? (
            <p>{t('queueEmptyThen')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('subject')}</th>
                  <th scope="col">{t('priority')}</th>
                  <th scope="col">{t('status')}</th>
                  <th scope="col">{t('vendor')}</th>
                </tr>
              </thead>
              <tbody>
                {view.cases.map((c) => (
                  <tr data-case={c.caseId}>
                    <td>{c.subject}</td>
                    <td>{c.priority}</td>
                    <td>{t(`status.${c.status}`)}</td>
                    <td>{c.vendorId ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p class="hint">{t('eventsReplayed', { events: view.eventsReplayed })}</p>
        </div>
      )}
    </section>
  );
};

export const Audit = ({ caseId }: { caseId?: string }) => {
  const cases = useLoad(
    () => getJson<{ items: Array<{ id: string; subject: string; status: string }> }>('/v1/cases?limit=100'),
    [],
  );
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{t('auditTitle')}</h1>
      <p>
        <label for="audit-case">{t('chooseCase')}</label>{' '}
        <select
          id="audit-case"
          value={caseId ?? ''}
          onChange={(e) => navigate(`/audit/${(e.target as HTMLSelectElement).value}`)}
        >
          <option value="">—</option>
          {(cases.data?.items ?? []).map((c) => (
            <option value={c.id}>
              {c.subject} ({t(`status.${c.status}`)})
            </option>
          ))}
        </select>
      </p>
      {caseId ? <CaseAsOf caseId={caseId} /> : <Verify />}
      <QueueAsOf />
    </section>
  );
};
