/**
 * @app/commands: the command door. Every change to a case, an incident or the vendor
 * directory is a command on the CommandBus of @nestjs/cqrs, handled here by one write path
 * (`StreamWriter`: load or cached state, decide, append at that version, one retry policy,
 * idempotency kept in the log). See docs/commands.md.
 */
export { CommandsModule } from './commands.module';
export { CASE_WRITE_SETTINGS, type CaseWriteSettings } from './commands.tokens';
export { handlersDoor, standaloneDoor, type CommandDoor, type StandaloneDoorOptions } from './command-door';
export {
  CommandError,
  IdempotencyKeyReused,
  idempotentEventId,
  requestFingerprint,
  WriteContention,
  type IdempotencyClaim,
} from './idempotency';
export { StaleVersion } from './stale-version';
export {
  StreamWriter,
  type StreamModel,
  type StreamWrite,
  type StreamWriteResult,
  type StreamWriterOptions,
} from './stream-writer';
export {
  ChangeCase,
  newCaseId,
  type CaseChange,
  type CaseCommandOrPlan,
  type ChangeCaseRequest,
} from './case/change-case.command';
export { ChangeCaseHandler } from './case/change-case.handler';
export { RecordAgent, RecordAgentHandler, type AgentRecorded } from './agent/record-agent';
export { ChangeArticle, ChangeArticleHandler, type ArticleChange } from './article/change-article';
export {
  ChangeContactPreferences,
  ChangeContactPreferencesHandler,
  type ContactPreferences,
} from './contact/set-contact-notifications';
export { ChangeIncident, ChangeIncidentHandler, type IncidentChange } from './incident/change-incident';
export {
  caseIdForIntake,
  ChangeIntake,
  ChangeIntakeHandler,
  intakeCaseClaim,
  newIntakeId,
  type IntakeChange,
} from './intake/change-intake';
export {
  ChangeVendorDirectory,
  ChangeVendorDirectoryHandler,
  type VendorChange,
} from './vendor/change-vendor-directory';
export { SeedVendors, SeedVendorsHandler, VendorSeeder, VENDOR_SEEDER } from './vendor/seed-vendors';
