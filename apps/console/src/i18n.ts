/**
 * French and English: the browser's language at first (navigator.language), then the one
 * chosen in the header, remembered in localStorage. `t(key, vars)` fills `{name}` slots.
 */
import { useEffect, useState } from 'preact/hooks';

export type Lang = 'en' | 'fr';

const en = {
  appName: 'Support console',
  skip: 'Skip to content',
  language: 'Language',
  signOut: 'Sign out',
  signedInAs: 'Signed in as {who} ({role})',
  liveOn: 'Live updates on',
  liveOff: 'Live updates reconnecting…',
  loading: 'Loading…',
  navQueues: 'My queues',
  navMyCases: 'My cases',
  navReports: 'Reports',
  navAudit: 'Audit',
  navCases: 'Our cases',
  // sign-in
  signInTitle: 'Sign in',
  signInLocal:
    'Development sign-in: the API signs a local token for the person and role you choose. It is offered only while the API uses its local secret, never with an identity provider.',
  signInOidc: 'Sign in with your organisation’s identity provider.',
  signInOidcButton: 'Continue to the identity provider',
  role: 'Role',
  email: 'E-mail',
  displayName: 'Display name (optional)',
  vendor: 'Vendor',
  languages: 'Languages (comma separated)',
  regions: 'Regions (comma separated)',
  org: 'Organisation (domain)',
  signInButton: 'Sign in',
  completingSignIn: 'Completing the sign-in…',
  'role.agent': 'Agent',
  'role.supervisor': 'Supervisor',
  'role.auditor': 'Auditor',
  'role.support-admin': 'Customer support admin',
  // queues
  queuesTitle: 'My queues',
  queue: 'Queue',
  priority: 'Priority',
  waiting: 'Waiting',
  breached: 'Breached',
  oldest: 'Oldest opened',
  nextDue: 'Next first response due',
  noneWaiting: 'No case is waiting in this queue.',
  queueTitle: 'Queue {id}',
  queueOrder: 'Breached first, then by priority, then by first-response due time, as the API orders them.',
  subject: 'Subject',
  customer: 'Customer',
  status: 'Status',
  timeLeft: 'First response due',
  claim: 'Claim',
  claimed: 'Claimed',
  overdue: 'overdue by {time}',
  dueIn: '{time} left',
  breachedFlag: 'SLA breached',
  myCasesTitle: 'Cases assigned to me',
  noCases: 'No case.',
  // case
  caseTitle: 'Case: {subject}',
  timeline: 'Timeline',
  slaClocks: 'SLA clocks',
  firstResponse: 'First response',
  resolutionClock: 'Resolution',
  remaining: 'business time left: {time}',
  used: 'business time used: {time}',
  dueAt: 'due {at}',
  assignee: 'Assigned to',
  nobody: 'nobody',
  incident: 'Incident',
  internalNote: 'Internal note (staff only)',
  attachments: 'Attachments',
  downloadFile: 'Download {name}',
  actions: 'Actions',
  respond: 'Respond',
  message: 'Message',
  send: 'Send',
  requestInfo: 'Request information',
  items: 'Items asked for',
  'item.reproduction-steps': 'Steps to reproduce',
  'item.troubleshooting': 'Troubleshooting already done',
  'item.logs': 'Log files',
  'item.message-headers': 'Message headers',
  escalate: 'Escalate',
  target: 'To',
  'target.product-team': 'Product team',
  'target.third-party': 'Third party',
  'target.supervisor': 'Supervisor',
  reason: 'Reason',
  resolve: 'Resolve',
  outcome: 'Outcome',
  'outcome.solved': 'Solved',
  'outcome.feature-request': 'Feature request',
  'outcome.cannot-reproduce': 'Cannot reproduce',
  'outcome.third-party': 'Third-party issue',
  'outcome.out-of-scope': 'Out of scope',
  'outcome.outage': 'Outage (needs a linked incident)',
  'outcome.no-customer-answer': 'No answer from the customer',
  summary: 'Summary',
  recommendations: 'Recommendations',
  featureRequestUrl: 'Where to propose the feature (URL)',
  addNote: 'Internal note',
  linkIncident: 'Link to an incident',
  reassign: 'Assign to an agent',
  agentId: 'Agent (id)',
  changePriority: 'Change the priority',
  issueCredit: 'Issue a service credit',
  amount: 'Amount',
  currency: 'Currency (ISO 4217)',
  chooseIncident: 'Incident',
  done: 'Done.',
  reply: 'Reply',
  provideInfo: 'Provide the information',
  files: 'Files',
  reopen: 'Reopen',
  requestCredit: 'Request a service credit',
  requestIncidentReport: 'Request an incident report',
  'status.open': 'open',
  'status.awaiting-customer': 'awaiting the customer',
  'status.resolved': 'resolved',
  'status.closed': 'closed',
  'clock.running': 'running',
  'clock.paused': 'paused (waiting on the customer)',
  'clock.met': 'met',
  'clock.breached': 'breached',
  'event.Opened': 'Opened by {who}',
  'event.AgentAssigned': 'Claimed by {who}',
  'event.AgentResponded': 'Answer from {who}',
  'event.InfoRequested': 'Information requested by {who}',
  'event.InfoProvided': 'Answer from the customer',
  'event.CustomerReplied': 'Reply from the customer',
  'event.Escalated': 'Escalated to {target}',
  'event.InternalNoteAdded': 'Internal note by {who}',
  'event.Resolved': 'Resolved: {outcome}',
  'event.Reopened': 'Reopened',
  'event.other': '{type}',
  pendingRequest: 'Waiting for the customer since {at}: {items}',
  // survey
  surveyTitle: 'How did we do?',
  surveyAbout: 'Your support request “{subject}”',
  surveyRating: 'Your rating, from 1 (not satisfied at all) to 5 (very satisfied)',
  surveyComment: 'Comment (optional)',
  surveySend: 'Send my answer',
  surveyThanks: 'Thank you: your answer was recorded.',
  surveyUsed: 'This survey was already answered. Thank you!',
  surveySuperseded: 'This survey was replaced by a newer one, sent after a later resolution of your request.',
  surveyInvalid: 'This survey link is not valid or has expired.',
  // reports
  reportsTitle: 'Reports',
  from: 'From',
  to: 'To',
  apply: 'Show',
  downloadCsv: 'Download CSV',
  chartOf: 'Chart: {title}',
  noRows: 'No data in this range.',
  countNote: 'In brackets under each bar: {column}.',
  vendorsNow: 'Vendors now',
  atWork: 'at work',
  offWork: 'off work',
  // audit
  auditTitle: 'Audit: a case as it stood',
  caseId: 'Case',
  chooseCase: 'Choose a case',
  moment: 'Moment',
  asOf: 'As of {at}',
  verifyChain: 'Verify the hash chain',
  chainOk: 'The chain is intact: {events} events in {streams} streams checked, no break.',
  chainBroken: 'The chain is broken: {breaks} break(s), first at {first}.',
  eventsUntil: 'Events up to this moment',
  // customer
  casesTitle: 'Our cases',
};

type Key = keyof typeof en;

const fr: Record<Key, string> = {
  appName: 'Console du support',
  skip: 'Aller au contenu',
  language: 'Langue',
  signOut: 'Se déconnecter',
  signedInAs: 'Connecté·e : {who} ({role})',
  liveOn: 'Mises à jour en direct',
  liveOff: 'Reconnexion du direct…',
  loading: 'Chargement…',
  navQueues: 'Mes files',
  navMyCases: 'Mes demandes',
  navReports: 'Rapports',
  navAudit: 'Audit',
  navCases: 'Nos demandes',
  signInTitle: 'Connexion',
  signInLocal:
    'Connexion de développement : l’API signe un jeton local pour la personne et le rôle choisis. Elle n’est proposée que lorsque l’API utilise son secret local, jamais avec un fournisseur d’identité.',
  signInOidc: 'Connectez-vous avec le fournisseur d’identité de votre organisation.',
  signInOidcButton: 'Continuer vers le fournisseur d’identité',
  role: 'Rôle',
  email: 'Adresse e-mail',
  displayName: 'Nom affiché (facultatif)',
  vendor: 'Prestataire',
  languages: 'Langues (séparées par des virgules)',
  regions: 'Régions (séparées par des virgules)',
  org: 'Organisation (domaine)',
  signInButton: 'Se connecter',
  completingSignIn: 'Connexion en cours…',
  'role.agent': 'Agent',
  'role.supervisor': 'Superviseur',
  'role.auditor': 'Auditeur',
  'role.support-admin': 'Administrateur support client',
  queuesTitle: 'Mes files',
  queue: 'File',
  priority: 'Priorité',
  waiting: 'En attente',
  breached: 'Hors délai',
  oldest: 'Ouverte depuis',
  nextDue: 'Prochaine première réponse due',
  noneWaiting: 'Aucune demande n’attend dans cette file.',
  queueTitle: 'File {id}',
  queueOrder:
    'Les demandes hors délai d’abord, puis par priorité, puis par échéance de première réponse, dans l’ordre de l’API.',
  subject: 'Objet',
  customer: 'Client',
  status: 'État',
  timeLeft: 'Première réponse due',
  claim: 'Prendre',
  claimed: 'Prise',
  overdue: 'en retard de {time}',
  dueIn: 'reste {time}',
  breachedFlag: 'SLA dépassé',
  myCasesTitle: 'Demandes qui me sont attribuées',
  noCases: 'Aucune demande.',
  caseTitle: 'Demande : {subject}',
  timeline: 'Historique',
  slaClocks: 'Délais SLA',
  firstResponse: 'Première réponse',
  resolutionClock: 'Résolution',
  remaining: 'temps ouvré restant : {time}',
  used: 'temps ouvré écoulé : {time}',
  dueAt: 'échéance {at}',
  assignee: 'Attribuée à',
  nobody: 'personne',
  incident: 'Incident',
  internalNote: 'Note interne (équipe support seulement)',
  attachments: 'Pièces jointes',
  downloadFile: 'Télécharger {name}',
  actions: 'Actions',
  respond: 'Répondre',
  message: 'Message',
  send: 'Envoyer',
  requestInfo: 'Demander des informations',
  items: 'Éléments demandés',
  'item.reproduction-steps': 'Étapes pour reproduire',
  'item.troubleshooting': 'Diagnostic déjà fait',
  'item.logs': 'Fichiers journaux',
  'item.message-headers': 'En-têtes de message',
  escalate: 'Escalader',
  target: 'Vers',
  'target.product-team': 'Équipe produit',
  'target.third-party': 'Tiers',
  'target.supervisor': 'Superviseur',
  reason: 'Motif',
  resolve: 'Résoudre',
  outcome: 'Issue',
  'outcome.solved': 'Résolue',
  'outcome.feature-request': 'Demande d’évolution',
  'outcome.cannot-reproduce': 'Non reproductible',
  'outcome.third-party': 'Problème d’un tiers',
  'outcome.out-of-scope': 'Hors périmètre',
  'outcome.outage': 'Panne (incident lié requis)',
  'outcome.no-customer-answer': 'Sans réponse du client',
  summary: 'Résumé',
  recommendations: 'Recommandations',
  featureRequestUrl: 'Où proposer l’évolution (URL)',
  addNote: 'Note interne',
  linkIncident: 'Lier à un incident',
  reassign: 'Attribuer à un agent',
  agentId: 'Agent (identifiant)',
  changePriority: 'Changer la priorité',
  issueCredit: 'Accorder un avoir',
  amount: 'Montant',
  currency: 'Devise (ISO 4217)',
  chooseIncident: 'Incident',
  done: 'Fait.',
  reply: 'Répondre',
  provideInfo: 'Fournir les informations',
  files: 'Fichiers',
  reopen: 'Rouvrir',
  requestCredit: 'Demander un avoir',
  requestIncidentReport: 'Demander un rapport d’incident',
  'status.open': 'ouverte',
  'status.awaiting-customer': 'en attente du client',
  'status.resolved': 'résolue',
  'status.closed': 'clôturée',
  'clock.running': 'en cours',
  'clock.paused': 'suspendu (attente du client)',
  'clock.met': 'respecté',
  'clock.breached': 'dépassé',
  'event.Opened': 'Ouverte par {who}',
  'event.AgentAssigned': 'Prise par {who}',
  'event.AgentResponded': 'Réponse de {who}',
  'event.InfoRequested': 'Informations demandées par {who}',
  'event.InfoProvided': 'Réponse du client',
  'event.CustomerReplied': 'Message du client',
  'event.Escalated': 'Escaladée vers {target}',
  'event.InternalNoteAdded': 'Note interne de {who}',
  'event.Resolved': 'Résolue : {outcome}',
  'event.Reopened': 'Rouverte',
  'event.other': '{type}',
  pendingRequest: 'En attente du client depuis {at} : {items}',
  surveyTitle: 'Votre avis compte',
  surveyAbout: 'Votre demande d’assistance « {subject} »',
  surveyRating: 'Votre note, de 1 (pas du tout satisfait) à 5 (très satisfait)',
  surveyComment: 'Commentaire (facultatif)',
  surveySend: 'Envoyer ma réponse',
  surveyThanks: 'Merci : votre réponse est enregistrée.',
  surveyUsed: 'Ce questionnaire a déjà reçu une réponse. Merci !',
  surveySuperseded:
    'Ce questionnaire a été remplacé par un plus récent, envoyé après une nouvelle résolution de votre demande.',
  surveyInvalid: 'Ce lien de questionnaire n’est pas valide ou a expiré.',
  reportsTitle: 'Rapports',
  from: 'Du',
  to: 'Au',
  apply: 'Afficher',
  downloadCsv: 'Télécharger en CSV',
  chartOf: 'Graphique : {title}',
  noRows: 'Aucune donnée sur cette période.',
  countNote: 'Entre parenthèses sous chaque barre : {column}.',
  vendorsNow: 'Prestataires en ce moment',
  atWork: 'au travail',
  offWork: 'hors service',
  auditTitle: 'Audit : une demande telle qu’elle était',
  caseId: 'Demande',
  chooseCase: 'Choisir une demande',
  moment: 'Moment',
  asOf: 'Au {at}',
  verifyChain: 'Vérifier la chaîne de hachage',
  chainOk: 'La chaîne est intacte : {events} événements dans {streams} flux vérifiés, aucune rupture.',
  chainBroken: 'La chaîne est rompue : {breaks} rupture(s), la première à {first}.',
  eventsUntil: 'Événements jusqu’à ce moment',
  casesTitle: 'Nos demandes',
};

const dictionaries: Record<Lang, Record<Key, string>> = { en, fr };
const KEY = 'console.lang';
const listeners = new Set<() => void>();

export const langOf = (tag: string | undefined): Lang => (tag?.toLowerCase().startsWith('fr') ? 'fr' : 'en');

let current: Lang = langOf(localStorage.getItem(KEY) ?? navigator.language);
document.documentElement.lang = current;

export const lang = (): Lang => current;

export const setLang = (next: Lang, remember = true): void => {
  current = next;
  if (remember) localStorage.setItem(KEY, next);
  document.documentElement.lang = next;
  listeners.forEach((l) => l());
};

export const t = (key: Key | string, vars: Record<string, string | number> = {}): string => {
  const dict = dictionaries[current];
  const text = (dict as Record<string, string>)[key] ?? (en as Record<string, string>)[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
};

/** re-renders the component when the language changes */
export const useLang = (): Lang => {
  const [value, setValue] = useState(current);
  useEffect(() => {
    const update = () => setValue(current);
    listeners.add(update);
    return () => void listeners.delete(update);
  }, []);
  return value;
};

export const formatDateTime = (iso: string | undefined): string =>
  iso
    ? new Date(iso).toLocaleString(current === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' })
    : '';

/** a duration as "2 d 3 h", "3 h 05 min", "4 min 09 s" */
export const formatDuration = (ms: number): string => {
  const s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  const day = current === 'fr' ? 'j' : 'd';
  if (d > 0) return `${d} ${day} ${h} h ${two(m)} min`;
  if (h > 0) return `${h} h ${two(m)} min`;
  return `${m} min ${two(sec)} s`;
};
