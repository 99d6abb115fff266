/**
 * The supervisor's incidents (the status dashboard's, R14): the list (GET /v1/incidents),
 * declaring one (POST /v1/incidents) and resolving one (POST /v1/incidents/{id}/resolution),
 * each refusal shown with the API's sentence. Cases are linked to an incident from the case
 * page.
 */
import { useState } from 'preact/hooks';
import { getJson, postJson, sentenceOf } from '../api';
import { useLoad } from '../hooks';
import { formatDateTime, t } from '../i18n';

interface Incident {
  id: string;
  status: 'ongoing' | 'resolved';
  title: string;
  services: string[];
  startedAt: string;
  endedAt?: string;
  version: number;
}

/** a datetime-local input's value (the browser's time zone) for an instant */
const localInput = (d: Date): string => {
  const shifted = new Date(d.getTime() - d.getTimezoneOffset() * 60_000);
  return shifted.toISOString().slice(0, 16);
};

/** a datetime-local value as an ISO instant (read in the browser's time zone) */
const instantOf = (value: string): string => new Date(value).toISOString();

const Resolve = ({ incident, done }: { incident: Incident; done: () => void }) => {
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const id = `end-${incident.id}`;
  return (
    <form
      class="inline"
      aria-label={t('resolveIncidentOf', { title: incident.title })}
      onSubmit={async (e) => {
        e.preventDefault();
        const value = String(new FormData(e.currentTarget as HTMLFormElement).get('endedAt') ?? '');
        setBusy(true);
        setError(undefined);
        try {
          await postJson(`/v1/incidents/${incident.id}/resolution`, { endedAt: instantOf(value) });
          done();
        } catch (err) {
          setError(sentenceOf(err));
        } finally {
          setBusy(false);
        }
      }}
    >
      <label for={id}>{t('incidentEndedAt')}</label>
      <input id={id} name="endedAt" type="datetime-local" required defaultValue={localInput(new Date())} />
      <button type="submit" disabled={busy}>
        {t('resolveIncident')}
      </button>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
    </form>
  );
};

const Declare = ({ done }: { done: () => void }) => {
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="action"
      aria-labelledby="declare-title"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget as HTMLFormElement;
        const data = new FormData(form);
        setBusy(true);
        setError(undefined);
        try {
          await postJson('/v1/incidents', {
            title: String(data.get('title') ?? ''),
            services: String(data.get('services') ?? '')
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
            startedAt: instantOf(String(data.get('startedAt') ?? '')),
          });
          form.reset();
          done();
        } catch (err) {
          setError(sentenceOf(err));
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2 id="declare-title">{t('declareIncident')}</h2>
      <p>
        <label for="new-incident-title">{t('incidentTitle')}</label>
        <input id="new-incident-title" name="title" required maxLength={200} />
      </p>
      <p>
        <label for="new-incident-services">{t('incidentServices')}</label>
        <input id="new-incident-services" name="services" required placeholder="sso, directory" />
      </p>
      <p>
        <label for="new-incident-started">{t('incidentStartedAt')}</label>
        <input
          id="new-incident-started"
          name="startedAt"
          type="datetime-local"
          required
          defaultValue={localInput(new Date())}
        />
      </p>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {t('declareIncident')}
      </button>
    </form>
  );
};

export const Incidents = ({ role }: { role: string }) => {
  const incidents = useLoad(() => getJson<{ items: Incident[] }>('/v1/incidents'), []);
  const supervisor = role === 'supervisor';
  return (
    <section aria-labelledby="incidents-title">
      <h1 id="incidents-title">{t('incidentsTitle')}</h1>
      {incidents.error && (
        <p role="alert" class="error">
          {incidents.error}
        </p>
      )}
      {!incidents.data && !incidents.error && <p>{t('loading')}</p>}
      {incidents.data && incidents.data.items.length === 0 && <p>{t('noIncidents')}</p>}
      {incidents.data && incidents.data.items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('incidentTitle')}</th>
              <th scope="col">{t('incidentServices')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('incidentStartedAt')}</th>
              <th scope="col">{t('incidentEndedAt')}</th>
            </tr>
          </thead>
          <tbody>
            {incidents.data.items.map((i) => (
              <tr data-incident={i.id} data-status={i.status}>
                <td>{i.title}</td>
                <td>{i.services.join(', ')}</td>
                <td>{t(`incident.${i.status}`)}</td>
                <td>
                  <time dateTime={i.startedAt}>{formatDateTime(i.startedAt)}</time>
                </td>
                <td>
                  {i.endedAt ? (
                    <time dateTime={i.endedAt}>{formatDateTime(i.endedAt)}</time>
                  ) : supervisor ? (
                    <Resolve incident={i} done={() => incidents.reload()} />
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {supervisor && <Declare done={() => incidents.reload()} />}
    </section>
  );
};
