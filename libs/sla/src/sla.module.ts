import { Module, type DynamicModule } from '@nestjs/common';
import { SlaService, type SlaFiles } from './sla.service';

/**
 * Provides {@link SlaService} everywhere (global): the case command handler records the terms
 * of new cases and shows the figures, the timers judge breaches. The files are read once,
 * when the module is built; a bad file stops the start with one line.
 */
@Module({})
export class SlaModule {
  static forRoot(files: SlaFiles): DynamicModule {
    return {
      module: SlaModule,
      global: true,
      providers: [{ provide: SlaService, useFactory: () => SlaService.load(files) }],
      exports: [SlaService],
    };
  }
}
