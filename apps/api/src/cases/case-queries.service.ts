import { Injectable } from '@nestjs/common';
import type { Principal } from '@app/auth';
import { CaseNotFound, type CaseView } from '@app/case-domain';
import { CaseCommandsService } from './case-commands.service';
import { CaseListQuery, type CaseListPage, type ListCasesFilter } from './case-list.query';

/** Reads of the case API: a case and its history fold from its stream; lists come from a projection. */
@Injectable()
export class CaseQueriesService {
  constructor(
    private readonly cases: CaseCommandsService,
    private readonly listQuery: CaseListQuery,
  ) {}

  async get(caseId: string, principal: Principal): Promise<CaseView> {
    const { state } = await this.cases.read(caseId, principal);
    const view = this.cases.view(state);
    if (!view) throw new CaseNotFound(caseId);
    return view;
  }

  async events(caseId: string, principal: Principal) {
    const { recorded } = await this.cases.read(caseId, principal);
    return {
      events: recorded.map((e) => ({
        type: e.type,
        version: e.streamVersion,
        recordedAt: e.recordedAt.toISOString(),
        data: e.data,
        metadata: e.metadata,
      })),
    };
  }

  list(principal: Principal, filter: ListCasesFilter): Promise<CaseListPage> {
    return this.listQuery.list(principal, filter);
  }
}
