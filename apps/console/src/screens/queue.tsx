import { useState } from 'preact/hooks';
import { getJson, postJson, sentenceOf } from '../api';
import { useLiveRefresh, useLoad, useNow } from '../hooks';
import { formatDateTime, formatDuration, t } from '../i18n';
import { Link, navigate } from '../router';

interface QueuedCase {
  id: string;
  subject: string;
  tenant: string;
  language: string;
  priority: string;
  status: string;
  openedAt: string;
  firstResponseDueAt?: string;
  breached: boolean;
}

/**
 * The countdown to the first-response due time the API computed in the case's business
 * calendar. It counts wall-clock time to that instant: outside working hours it runs while
 * the business clock does not, so it can only overstate the urgency, never hide it
 * (the case page shows the business time left as the API counts it).
 */
export const Countdown = ({ dueAt, now }: { dueAt?: string; now: number }) => {
  if (!dueAt) return <span>—</span>;
  const left = Date.parse(dueAt) - now;
  return (
    <time dateTime={dueAt} title={formatDateTime(dueAt)} class={left < 0 ? 'late' : undefined}>
      {left < 0 ? t('overdue', { time: formatDuration(left) }) : t('dueIn', { time: formatDuration(left) })}
    </time>
  );
};

export const QueuePage = ({ id }: { id: string }) => {
  const now = useNow();
  const [error, setError] = useState<string>();
  const queue = useLoad(
    (after?: number) =>
      getJson<{ items: QueuedCase[] }>(`/v1/queues/${encodeURIComponent(id)}${after ? `?after=${after}` : ''}`),
    [id],
  );
  useLiveRefresh(
    () => true,
    (position) => queue.reload(position),
  );
  const claim = async (caseId: string) => {
    setError(undefined);
    try {
      await postJson(`/v1/cases/${caseId}/assignment`, {});
      navigate(`/mine/${caseId}`);
    } catch (e) {
      setError(sentenceOf(e));
    }
  };
  return (
    <section aria-labelledby="queue-title">
      <h1 id="queue-title">{t('queueTitle', { id })}</h1>
      <p class="hint">{t('queueOrder')}</p>
      {(error ?? queue.error) && (
        <p role="alert" class="error">
          {error ?? queue.error}
        </p>
      )}
      {queue.data && queue.data.items.length === 0 && <p>{t('noneWaiting')}</p>}
      {queue.data && queue.data.items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('subject')}</th>
              <th scope="col">{t('customer')}</th>
              <th scope="col">{t('priority')}</th>
              <th scope="col">{t('timeLeft')}</th>
              <th scope="col">{t('actions')}</th>
            </tr>
          </thead>
          <tbody>
            {queue.data.items.map((c) => (
              <tr data-case={c.id} class={c.breached ? 'hot' : undefined}>
                <th scope="row">
                  <Link to={`/mine/${c.id}`}>{c.subject}</Link>
                  {c.breached && <span class="badge late">{t('breachedFlag')}</span>}
                </th>
                <td>{c.tenant}</td>
                <td>{c.priority}</td>
                <td>
                  <Countdown dueAt={c.firstResponseDueAt} now={now} />
                </td>
                <td>
                  <button type="button" onClick={() => claim(c.id)} aria-label={`${t('claim')}: ${c.subject}`}>
                    {t('claim')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
};
