/**
 * R2: consumer e-mail domains refused unless the app configures its own list.
 * gmail.com (named by the policy) and googlemail.com are refused whatever the list.
 */
// prettier-ignore
export const DEFAULT_CONSUMER_DOMAINS: readonly string[] = [
  'gmail.com', 'googlemail.com',
  'yahoo.com', 'yahoo.fr', 'yahoo.co.uk', 'ymail.com',
  'hotmail.com', 'hotmail.fr', 'hotmail.co.uk', 'outlook.com', 'outlook.fr', 'live.com', 'live.fr', 'msn.com',
  'icloud.com', 'me.com', 'mac.com', 'aol.com',
  'gmx.com', 'gmx.de', 'gmx.net', 'gmx.fr', 'web.de', 'mail.com',
  'proton.me', 'protonmail.com', 'pm.me', 'tutanota.com',
  'yandex.com', 'yandex.ru', 'mail.ru', 'qq.com', '163.com',
  'orange.fr', 'wanadoo.fr', 'free.fr', 'sfr.fr', 'laposte.net',
];

export const ALWAYS_CONSUMER_DOMAINS: readonly string[] = ['gmail.com', 'googlemail.com'];
