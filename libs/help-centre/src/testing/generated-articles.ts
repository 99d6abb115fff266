import type { Article, ArticleLanguage } from '@app/case-domain';
import { seededRandom } from '@app/case-domain/testing';

/**
 * Filler articles for the search benchmark: a help centre of 10,000 articles where the
 * starting set is a small part. They are about the neighbouring topics of an identity and
 * workspace admin help centre (groups, devices, audit logs, reports, mail routing, data
 * export…), written from the same administrative vocabulary as the real ones (the Admin
 * console, organisational units, users, sign-in, settings), so they compete for every
 * common word of a query, but none is about a topic of the starting set. Seeded: the same
 * seed, the same articles.
 */
const FEATURES: Record<ArticleLanguage, readonly string[]> = {
  en: [
    'organisational units',
    'groups',
    'mobile device management',
    'audit logs',
    'usage reports',
    'alert rules',
    'API access',
    'third-party app access',
    'calendar resources',
    'shared drives',
    'email routing',
    'spam filters',
    'data export',
    'retention rules',
    'browser policies',
    'endpoint verification',
    'context-aware access levels',
    'data regions',
    'custom user attributes',
    'profile photos',
    'contact sharing',
    'directory visibility',
    'group aliases',
    'security dashboards',
    'the investigation tool',
    'app allowlists',
    'Wi-Fi profiles',
    'printer settings',
    'Android work profiles',
    'iOS device enrollment',
    'remote device wipe',
    'company-owned devices',
    'marketplace apps',
    'email signatures',
    'out-of-office replies',
    'meeting room booking',
    'video meeting settings',
    'storage quotas',
    'external file sharing',
    'file labels',
    'data loss prevention rules',
    'log exports',
    'service account keys',
    'API quotas',
    'user directory fields',
    'building and floor data',
    'device inventory',
  ],
  fr: [
    'unités organisationnelles',
    'groupes',
    'gestion des appareils mobiles',
    "journaux d'audit",
    "rapports d'utilisation",
    "règles d'alerte",
    "accès à l'API",
    'accès des applications tierces',
    "ressources d'agenda",
    'drives partagés',
    'routage des e-mails',
    'filtres antispam',
    'exportation des données',
    'règles de conservation',
    'règles du navigateur',
    'validation des points de terminaison',
    "niveaux d'accès contextuel",
    'régions de données',
    'attributs personnalisés',
    'photos de profil',
    'partage des contacts',
    "visibilité de l'annuaire",
    'alias de groupe',
    'tableaux de bord de sécurité',
    "l'outil d'enquête",
    "listes d'applications autorisées",
    'profils Wi-Fi',
    "paramètres d'impression",
    'profils professionnels Android',
    'inscription des appareils iOS',
    'effacement à distance',
    "appareils de l'entreprise",
    'applications du marketplace',
    'signatures des e-mails',
    "réponses d'absence",
    'réservation de salles',
    'paramètres de visioconférence',
    'quotas de stockage',
    'partage de fichiers externe',
    'libellés de fichiers',
    'règles de protection contre la perte de données',
    'exportations de journaux',
    'clés de comptes de service',
    "quotas d'API",
    "champs de l'annuaire",
    'bâtiments et étages',
    'inventaire des appareils',
  ],
};

const TITLES: Record<ArticleLanguage, readonly string[]> = {
  en: [
    'Set up {f}',
    'Manage {f} for an organisational unit',
    'Turn {f} on or off',
    'Review {f} in the Admin console',
    'Troubleshoot {f}',
    'Limits of {f}',
    'Export the data of {f}',
    'Best practices for {f}',
    'What changed in {f}',
    'Delegate the management of {f}',
  ],
  fr: [
    'Configurer les {f}',
    'Gérer les {f} pour une unité organisationnelle',
    'Activer ou désactiver les {f}',
    "Consulter les {f} dans la console d'administration",
    'Résoudre les problèmes liés aux {f}',
    'Limites des {f}',
    'Exporter les données des {f}',
    'Bonnes pratiques pour les {f}',
    'Nouveautés des {f}',
    'Déléguer la gestion des {f}',
  ],
};

const SENTENCES: Record<ArticleLanguage, readonly string[]> = {
  en: [
    'You can manage {f} from the Admin console.',
    'Go to {m} and select the organisational unit or group you want to change.',
    'Settings apply to the whole organisation unless you override them for a child unit.',
    'Changes usually take effect within a few minutes, but can take up to {n} hours.',
    'Only administrators with the matching privilege can view or change {f}.',
    'Users are not notified when you change this setting.',
    'Every change is recorded in the admin audit log.',
    'If you use an API client, ask your developer to request the matching scope.',
    'The list can be filtered by date, user or event, and exported to a spreadsheet.',
    'In large organisations, try the change on a pilot group first.',
    'Some options are only available in the Premium edition.',
    'When the limit of {n} items is reached, the oldest items are removed.',
    'Devices must sync at least once before they appear in the list.',
    'Turning the feature off keeps existing data but stops new changes.',
    'Rules are evaluated in the order shown on the page.',
    'Reports are updated once a day and can show data from up to three days ago.',
    'Select the items, then click Apply and confirm.',
    'Users may need to sign in again on their devices after the change.',
    'An email is sent to super administrators when the job finishes.',
    'Use filters to narrow the results to one organisational unit.',
    'Download the results as a CSV file, or send them to your data warehouse.',
    'If an option is greyed out, it is controlled at the level of the parent unit.',
    'The setting does not apply to accounts created in the last {n} hours.',
    'Share the link to this page with the people who manage {f} in your company.',
  ],
  fr: [
    "Vous pouvez gérer les {f} depuis la console d'administration.",
    "Ouvrez {m} et sélectionnez l'unité organisationnelle ou le groupe à modifier.",
    "Les paramètres s'appliquent à toute l'organisation, sauf si vous les remplacez pour une unité enfant.",
    "Les modifications prennent généralement effet en quelques minutes, mais peuvent prendre jusqu'à {n} heures.",
    'Seuls les administrateurs disposant du droit correspondant peuvent consulter ou modifier les {f}.',
    'Les utilisateurs ne sont pas avertis lorsque vous modifiez ce paramètre.',
    "Chaque modification est consignée dans le journal d'audit des administrateurs.",
    "Si vous utilisez un client d'API, demandez à votre développeur de demander le champ d'application correspondant.",
    'La liste peut être filtrée par date, par utilisateur ou par événement, et exportée dans une feuille de calcul.',
    "Dans les grandes organisations, testez d'abord la modification sur un groupe pilote.",
    "Certaines options ne sont disponibles que dans l'édition Premium.",
    'Lorsque la limite de {n} éléments est atteinte, les éléments les plus anciens sont supprimés.',
    "Les appareils doivent se synchroniser au moins une fois avant d'apparaître dans la liste.",
    'Désactiver la fonctionnalité conserve les données existantes, mais bloque les nouvelles modifications.',
    "Les règles sont évaluées dans l'ordre affiché sur la page.",
    'Les rapports sont mis à jour une fois par jour et peuvent présenter des données datant de trois jours.',
    'Sélectionnez les éléments, puis cliquez sur Appliquer et confirmez.',
    'Les utilisateurs devront peut-être se reconnecter sur leurs appareils après la modification.',
    "Un e-mail est envoyé aux super-administrateurs à la fin de l'opération.",
    'Utilisez les filtres pour limiter les résultats à une unité organisationnelle.',
    'Téléchargez les résultats au format CSV, ou envoyez-les vers votre entrepôt de données.',
    "Si une option est grisée, elle est contrôlée au niveau de l'unité parente.",
    'Le paramètre ne s’applique pas aux comptes créés au cours des {n} dernières heures.',
    'Partagez le lien de cette page avec les personnes qui gèrent les {f} dans votre entreprise.',
  ],
};

const MENUS: Record<ArticleLanguage, readonly string[]> = {
  en: ['Apps > Settings', 'Devices > Mobile', 'Reporting > Audit', 'Security > Access control', 'Directory > Groups'],
  fr: [
    'Applications > Paramètres',
    'Appareils > Mobile',
    'Rapports > Audit',
    "Sécurité > Contrôle d'accès",
    'Annuaire > Groupes',
  ],
};

const PRODUCTS: readonly (readonly string[])[] = [
  ['cloud-identity-premium'],
  ['cloud-identity-premium'],
  ['cloud-identity-premium', 'cloud-identity'],
  ['workspace-mail'],
  ['endpoint-management'],
];

/** `count` filler articles, half in French and half in English, ids `generated-<n>-<language>`. */
export const generatedArticles = (count: number, seed = 20260302): Article[] => {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const articles: Article[] = [];
  for (let n = 1; articles.length < count; n++) {
    const language: ArticleLanguage = n % 2 === 0 ? 'fr' : 'en';
    const feature = pick(FEATURES[language]);
    const fill = (text: string) =>
      text
        .replace(/\{f\}/g, feature)
        .replace(/\{m\}/g, `**${pick(MENUS[language])}**`)
        .replace(/\{n\}/g, String(1 + Math.floor(random() * 72)));
    const sentences = [...SENTENCES[language]].sort(() => random() - 0.5).slice(0, 9 + Math.floor(random() * 6));
    const title = fill(pick(TITLES[language]));
    const half = Math.ceil(sentences.length / 2);
    articles.push({
      id: `generated-${n}-${language}`,
      language,
      title: title[0].toUpperCase() + title.slice(1),
      body: `${sentences.slice(0, half).map(fill).join(' ')}\n\n## ${fill(pick(TITLES[language]))}\n\n${sentences
        .slice(half)
        .map((s) => `- ${fill(s)}`)
        .join('\n')}`,
      products: pick(PRODUCTS),
      problemCategories: [pick(['devices', 'reports', 'security', 'apps', 'mail', 'directory'])],
      published: random() > 0.05,
    });
  }
  return articles;
};
