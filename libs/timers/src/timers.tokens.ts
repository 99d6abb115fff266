/** the {@link SurveyTokens} of the process (signs the links in survey e-mails) */
export const SURVEY_TOKENS = Symbol('SURVEY_TOKENS');
/** the {@link MailTransport}: SMTP, or the `.eml` outbox in DATA_DIR */
export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');
