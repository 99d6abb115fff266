/**
 * @app/sla: the calendars and the SLA policy (R10) as one service. `SlaService` gives a new
 * case its terms (calendar, versions, due time) and shows a case's SLA figures at a moment
 * (`slaReport` of @app/case-domain); the command handlers, the timers, the router and the
 * projections all use it. The files are read once, at start.
 */
export { SlaModule } from './sla.module';
export { SlaService, type SlaFiles, type SlaTermsRequest } from './sla.service';
