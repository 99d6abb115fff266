import type { SqlQueryable } from '@app/event-store';

/** The people among `emails` who turned their notification e-mails off or on, as the indexer last read it. */
export const contactPreferencesOf = async (
  db: SqlQueryable,
  emails: readonly string[],
): Promise<Map<string, boolean>> => {
  if (emails.length === 0) return new Map();
  const { rows } = await db.query<{ email: string; notifications_enabled: boolean }>(
    'SELECT email, notifications_enabled FROM contact_preferences WHERE email = ANY($1::text[])',
    [emails],
  );
  return new Map(rows.map((r) => [r.email, r.notifications_enabled]));
};

/** Each person's setting after a batch of the log, in the indexer's transaction. */
export const saveContactPreferences = async (
  db: SqlQueryable,
  settings: ReadonlyMap<string, boolean>,
  now: Date,
): Promise<void> => {
  if (settings.size === 0) return;
  await db.query(
    `INSERT INTO contact_preferences (email, notifications_enabled, updated_at)
     SELECT email, enabled, $3 FROM unnest($1::text[], $2::boolean[]) AS s(email, enabled)
     ON CONFLICT (email) DO UPDATE SET notifications_enabled = EXCLUDED.notifications_enabled, updated_at = EXCLUDED.updated_at`,
    [[...settings.keys()], [...settings.values()], now],
  );
};
