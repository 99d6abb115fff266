import type { CaseEvent, CaseEventDataMap } from './case.events';
import type { CaseState, OpenedCase } from './case.state';
import { evolveSlaFacts, initialSlaFacts } from './sla/sla.facts';

/**
 * Folds one event into the state. Total and pure: it never throws and never mutates, so a
 * replay of any stored history succeeds. Every event bumps `version`, including one this
 * code does not know yet (an event written by a newer release is skipped, not fatal).
 */
export const evolve = (state: CaseState, event: CaseEvent): CaseState => {
  const version = state.version + 1;
  if (event.type === 'Opened')
    return state.status === 'not-opened' ? opened(event.data, version) : { ...state, version };
  if (state.status === 'not-opened') return { ...state, version };
  const next = apply({ ...state, version }, event);
  // R10: the SLA facts follow the same events; they need the status before the event
  const sla = evolveSlaFacts(state.sla, state.status, state.cycle, event);
  return sla === state.sla ? next : { ...next, sla };
};

/** The event's effect on an opened case (whose `version` is already bumped). */
const apply = (next: OpenedCase, event: Exclude<CaseEvent, { type: 'Opened' }>): OpenedCase => {
  const { at } = event.data;
  switch (event.type) {
    case 'PriorityChanged':
      return { ...next, priority: event.data.to };
    case 'AgentAssigned':
      return { ...next, assigneeId: event.data.agentId };
    case 'AgentResponded':
      return responded(next, at);
    case 'InfoRequested': {
      const asked = next.pendingInfoRequest?.items ?? [];
      const items = [...asked, ...event.data.items.filter((item) => !asked.includes(item))];
      const pending = next.pendingInfoRequest;
      // a request during the wait adds its items to the same wait (its start and reminder stay)
      const pendingInfoRequest = pending ? { ...pending, items } : { items, since: at };
      return { ...responded(next, at), status: 'awaiting-customer', pendingInfoRequest };
    }
    case 'InfoProvided':
    case 'CustomerReplied':
      // the customer's answer puts the case back in the agents' hands (R11)
      return next.status === 'awaiting-customer' ? { ...next, status: 'open', pendingInfoRequest: undefined } : next;
    case 'Escalated': {
      const { target, reason, byId } = event.data;
      return { ...next, escalations: [...next.escalations, { target, reason, at, byId }] };
    }
    case 'SlaBreached':
      // R10: recorded in the SLA facts (see evolveSlaFacts); nothing else changes
      return next;
    case 'LinkedToIncident':
      return { ...next, incidentId: event.data.incidentId };
    case 'Resolved': {
      const { outcome, summary, recommendations, featureRequestUrl, byId } = event.data;
      const resolution = { outcome, summary, recommendations, featureRequestUrl, at, byId };
      return { ...next, status: 'resolved', pendingInfoRequest: undefined, resolution };
    }
    case 'Reopened':
      return {
        ...next,
        status: 'open',
        cycle: event.data.cycle,
        cycleStartedAt: at,
        cycleFirstRespondedAt: undefined,
        resolution: undefined,
      };
    case 'CreditRequested':
      return { ...next, creditRequest: { at, reason: event.data.reason } };
    case 'CreditIssued': {
      const { amount, currency, byId } = event.data;
      return { ...next, credit: { amount, currency, at, byId } };
    }
    case 'IncidentReportRequested':
      return { ...next, incidentReport: { requestedAt: at } };
    case 'IncidentReportSent':
      return {
        ...next,
        incidentReport: {
          requestedAt: next.incidentReport?.requestedAt ?? at,
          sentAt: at,
          reportUrl: event.data.reportUrl,
        },
      };
    case 'SurveySent': {
      const earlierSurveyIds = next.survey ? [...next.earlierSurveyIds, next.survey.id] : next.earlierSurveyIds;
      return { ...next, earlierSurveyIds, survey: { id: event.data.surveyId, cycle: event.data.cycle, sentAt: at } };
    }
    case 'SurveyAnswered': {
      if (!next.survey) return next;
      const { rating, comment } = event.data;
      return { ...next, survey: { ...next.survey, answer: { rating, comment, at } } };
    }
    case 'Closed':
      return { ...next, status: 'closed', closedAt: at };
    case 'NotificationsChanged':
      return { ...next, notificationsEnabled: event.data.enabled };
    case 'Routed': {
      const { vendorId, queueId, reason } = event.data;
      return { ...next, routing: { vendorId, queueId, reason, at } };
    }
    case 'InternalNoteAdded': {
      const { message, byId } = event.data;
      return { ...next, notes: [...next.notes, { message, at, byId }] };
    }
    case 'CustomerReminded': {
      // R11: the wait it names, if it is still the one in progress, remembers its reminder
      const pending = next.pendingInfoRequest;
      if (next.status !== 'awaiting-customer' || pending?.since !== event.data.waitingSince) return next;
      return { ...next, pendingInfoRequest: { ...pending, remindedAt: at } };
    }
    default: {
      // compile time: every event type is handled; run time: an unknown type only bumps the version
      const _unknown: never = event;
      return next;
    }
  }
};

const opened = (data: CaseEventDataMap['Opened'], version: number): OpenedCase => ({
  status: 'open',
  version,
  id: data.caseId,
  tenant: data.tenant,
  requester: data.requester,
  subject: data.subject,
  description: data.description,
  product: data.product,
  language: data.language,
  channel: data.channel,
  impact: data.impact,
  workaround: data.workaround,
  relatedCaseId: data.relatedCaseId,
  ...(data.intakeId === undefined ? {} : { intakeId: data.intakeId }),
  priority: data.priority,
  openedAt: data.at,
  cycle: 1,
  cycleStartedAt: data.at,
  escalations: [],
  notes: [],
  earlierSurveyIds: [],
  sla: initialSlaFacts(data),
  notificationsEnabled: true,
});

/** An answer or an information request both stop the first-response clock (R10). */
const responded = (state: OpenedCase, at: string): OpenedCase => ({
  ...state,
  firstRespondedAt: state.firstRespondedAt ?? at,
  cycleFirstRespondedAt: state.cycleFirstRespondedAt ?? at,
});
