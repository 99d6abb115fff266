import { backoffCeiling, type BackoffPolicy } from '@app/clock';

/** The e-mails' retries (survey and notification): 30 s, 1 min, 2 min… up to an hour; SMTP outages are usually short. */
export const MAIL_RETRY: BackoffPolicy = { initialMs: 30_000, maxMs: 3_600_000 };

/** The wait before the next attempt at an e-mail after `attempts` failed ones (the row's retry time). */
export const mailRetryDelayMs = (attempts: number): number => backoffCeiling(attempts, MAIL_RETRY);
