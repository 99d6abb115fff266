import type { ArticleLanguage } from '@app/case-domain';

/**
 * How support admins name things, mapped to the words the help-centre articles use: the
 * query side of a synonym list (a search engine's synonyms file). Keys are one word or two
 * (`log in`), accents removed and lower-case; each value lists alternatives, each one word
 * or several that must all match (`mot passe`). The query's own word always stays an
 * alternative, so a synonym only ever widens a search.
 *
 * Written from the vocabulary of identity administration (abbreviations, vendor names of
 * identity providers, British and American spellings, everyday words for the articles'
 * terms), not from the labelled evaluation set's queries.
 */
export type SynonymList = Readonly<Record<string, readonly string[]>>;

const ENGLISH: SynonymList = {
  // passwords
  pw: ['password'],
  pwd: ['password'],
  passwd: ['password'],
  pasword: ['password'],
  passowrd: ['password'],
  pword: ['password'],
  passcode: ['code'],
  // signing in
  login: ['sign'],
  logon: ['sign'],
  signin: ['sign'],
  'log in': ['sign'],
  'log on': ['sign'],
  'logging in': ['sign'],
  'logged in': ['sign'],
  'logged out': ['sign out'],
  logout: ['sign out'],
  signout: ['sign out'],
  // 2-step verification
  '2fa': ['step verification'],
  mfa: ['step verification'],
  '2sv': ['step verification'],
  otp: ['verification code'],
  totp: ['authenticator'],
  'two factor': ['step verification'],
  'second factor': ['step verification'],
  'multi factor': ['step verification'],
  yubikey: ['security key'],
  yubikeys: ['security key'],
  fido: ['security key'],
  webauthn: ['security key'],
  'hardware key': ['security key'],
  'hardware keys': ['security key'],
  'usb key': ['security key'],
  sms: ['text message'],
  text: ['sms'],
  // single sign-on and identity providers
  sso: ['single sign'],
  idp: ['identity provider'],
  okta: ['identity provider'],
  entra: ['identity provider'],
  azure: ['identity provider'],
  adfs: ['identity provider'],
  onelogin: ['identity provider'],
  pingfederate: ['identity provider'],
  keycloak: ['identity provider'],
  jumpcloud: ['identity provider'],
  cert: ['certificate'],
  certs: ['certificate'],
  // directory and provisioning
  ad: ['active directory'],
  scim: ['provisioning'],
  onboard: ['add user'],
  onboarding: ['add user'],
  spreadsheet: ['csv'],
  excel: ['csv'],
  xlsx: ['csv'],
  staff: ['user', 'employee'],
  colleague: ['user'],
  surname: ['last name'],
  unverified: ['verify'],
  // billing
  bill: ['invoice'],
  bills: ['invoice'],
  receipt: ['invoice'],
  license: ['licence'],
  licenses: ['licence'],
  licensing: ['licence'],
  seat: ['licence'],
  seats: ['licence'],
  vat: ['tax'],
  refund: ['credit'],
  compensation: ['credit'],
  reimbursement: ['credit'],
  // outages
  downtime: ['outage'],
  down: ['outage'],
  rca: ['incident report'],
  postmortem: ['incident report'],
  sla: ['service level'],
  // the help desk
  ticket: ['case'],
  tickets: ['case'],
  helpdesk: ['help desk'],
  admin: ['administrator'],
};

const FRENCH: SynonymList = {
  // mots de passe
  mdp: ['mot passe'],
  pwd: ['mot passe'],
  password: ['mot passe'],
  // connexion
  login: ['connexion'],
  logger: ['connecter'],
  identifier: ['connecter'],
  deconnecte: ['deconnexion'],
  // validation en deux étapes
  '2fa': ['validation etapes'],
  mfa: ['validation etapes'],
  '2sv': ['validation etapes'],
  a2f: ['validation etapes'],
  otp: ['code validation'],
  'double authentification': ['validation etapes'],
  'double facteur': ['validation etapes'],
  'authentification forte': ['validation etapes'],
  yubikey: ['cle securite'],
  yubikeys: ['cle securite'],
  fido: ['cle securite'],
  'cle usb': ['cle securite'],
  texto: ['sms'],
  portable: ['telephone'],
  mobile: ['telephone'],
  smartphone: ['telephone'],
  appli: ['application'],
  // authentification unique et fournisseurs d'identité
  sso: ['authentification unique'],
  idp: ['fournisseur identite'],
  okta: ['fournisseur identite'],
  entra: ['fournisseur identite'],
  azure: ['fournisseur identite'],
  adfs: ['fournisseur identite'],
  onelogin: ['fournisseur identite'],
  keycloak: ['fournisseur identite'],
  cert: ['certificat'],
  certif: ['certificat'],
  // annuaire et provisionnement
  ad: ['active directory'],
  synchro: ['synchronisation'],
  scim: ['provisionnement'],
  excel: ['csv'],
  tableur: ['csv'],
  xlsx: ['csv'],
  salarie: ['utilisateur'],
  employe: ['utilisateur'],
  collaborateur: ['utilisateur'],
  collegue: ['utilisateur'],
  personnel: ['utilisateur'],
  courriel: ['mail'],
  // facturation
  compta: ['comptabilite'],
  license: ['licence'],
  licenses: ['licence'],
  siege: ['licence'],
  sieges: ['licence'],
  dedommagement: ['credit'],
  remboursement: ['credit'],
  indemnisation: ['credit'],
  compensation: ['credit'],
  // pannes
  coupure: ['panne'],
  indisponible: ['panne'],
  indisponibilite: ['panne'],
  rca: ['rapport incident'],
  sla: ['niveau service'],
  // l'assistance
  ticket: ['demande'],
  tickets: ['demande'],
  support: ['assistance'],
  boite: ['entreprise'],
  admin: ['administrateur'],
};

export const SEARCH_SYNONYMS: Readonly<Record<ArticleLanguage, SynonymList>> = { en: ENGLISH, fr: FRENCH };
