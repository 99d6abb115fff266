import { Inject, Injectable } from '@nestjs/common';
import { CaseNotFound, toCaseView, type CaseState, type CaseView } from '@app/case-domain';
import { CLOCK, type Clock } from '@app/clock';
import { SlaService } from '@app/sla';

/** The case as the API shows it: the domain's view with its SLA figures at the clock's now (R10). */
@Injectable()
export class CaseViews {
  constructor(
    @Inject(SlaService) private readonly sla: SlaService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  of(state: CaseState, version: number = state.version): CaseView {
    const view = toCaseView(state, version, this.sla.report(state, this.clock.now()));
    if (!view) throw new CaseNotFound('(none)');
    return view;
  }
}
