import { InvalidCommand } from '../../shared/domain-rule-violation';
import {
  requireBoolean,
  requireDurationMs,
  requireInstant,
  requireOneOf,
  requireText,
  requireVersion,
} from '../../shared/validation';
import type { OpenCase } from '../case.commands';
import { CaseAlreadyOpened, RelatedCaseNotFound } from '../case.errors';
import { caseEvent, type CaseEvent } from '../case.events';
import type { CaseState } from '../case.state';
import { CHANNELS, IMPACT_SCOPES, SERVICE_STATES, WORKAROUNDS, type SlaTerms } from '../case.types';
import { priorityFor } from '../priority.policy';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** a BCP 47 tag, loosely: `fr`, `en-GB`, `zh-Hant-TW` */
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** R5–R9: the intake's last step opens the case, with the priority derived from the answers (R9). */
export const openCase = (state: CaseState, command: OpenCase, at: string): CaseEvent[] => {
  const c = validOpenCase(command);
  const sla = c.sla === undefined ? undefined : validSlaTerms(c.sla, at);
  // opening twice is refused rather than ignored: two intakes must never share an id
  if (state.status !== 'not-opened') throw new CaseAlreadyOpened(c.caseId);
  // R3: a case may follow only a case of its own organisation; another's is as unknown as none
  if (c.relatedCaseId !== undefined && (c.relatedCase == null || c.relatedCase.tenant !== c.tenant)) {
    throw new RelatedCaseNotFound(c.relatedCaseId);
  }
  return [
    caseEvent('Opened', {
      caseId: c.caseId,
      at,
      byId: c.actor.id,
      tenant: c.tenant,
      requester: { id: c.requester.id, email: c.requester.email },
      subject: c.subject,
      description: c.description,
      product: c.product,
      language: c.language,
      channel: c.channel,
      impact: {
        serviceState: c.impact.serviceState,
        scope: c.impact.scope,
        collaborationHarmed: c.impact.collaborationHarmed,
      },
      workaround: c.workaround,
      ...(c.relatedCaseId === undefined ? {} : { relatedCaseId: c.relatedCaseId }),
      ...(c.intakeId === undefined ? {} : { intakeId: c.intakeId }),
      priority: priorityFor(c),
      ...(sla === undefined ? {} : { sla }),
    }),
  ];
};

/** R10: the terms the shell computed; recorded as given, once checked for shape and order. */
const validSlaTerms = (terms: SlaTerms, at: string): SlaTerms => {
  const calendarId = requireText('sla.calendarId', terms.calendarId);
  const calendarVersion = requireVersion('sla.calendarVersion', terms.calendarVersion);
  const policyVersion = requireVersion('sla.policyVersion', terms.policyVersion);
  const region = terms.region === undefined ? undefined : requireText('sla.region', terms.region);
  const firstResponseTargetMs = requireDurationMs('sla.firstResponseTargetMs', terms.firstResponseTargetMs);
  const firstResponseDueAt = requireInstant('sla.firstResponseDueAt', terms.firstResponseDueAt);
  if (Date.parse(firstResponseDueAt) < Date.parse(at))
    throw new InvalidCommand('sla.firstResponseDueAt', 'must not be before the opening');
  return {
    calendarId,
    calendarVersion,
    policyVersion,
    ...(region === undefined ? {} : { region }),
    firstResponseTargetMs,
    firstResponseDueAt,
  };
};

const validOpenCase = (c: OpenCase): OpenCase => {
  requireText('caseId', c.caseId);
  requireText('tenant', c.tenant);
  requireText('requester.id', c.requester?.id);
  if (!EMAIL.test(requireText('requester.email', c.requester.email))) {
    throw new InvalidCommand('requester.email', 'must be an e-mail address');
  }
  requireText('subject', c.subject);
  requireText('description', c.description);
  requireText('product', c.product);
  if (!LANGUAGE_TAG.test(requireText('language', c.language))) {
    throw new InvalidCommand('language', 'must be a language tag such as fr or en-GB');
  }
  requireOneOf('channel', c.channel, CHANNELS);
  requireOneOf('impact.serviceState', c.impact?.serviceState, SERVICE_STATES);
  requireOneOf('impact.scope', c.impact.scope, IMPACT_SCOPES);
  requireBoolean('impact.collaborationHarmed', c.impact.collaborationHarmed);
  requireOneOf('workaround', c.workaround, WORKAROUNDS);
  if (c.intakeId !== undefined) requireText('intakeId', c.intakeId);
  if (c.relatedCaseId !== undefined && requireText('relatedCaseId', c.relatedCaseId) === c.caseId) {
    throw new InvalidCommand('relatedCaseId', 'must name another case');
  }
  return c;
};
