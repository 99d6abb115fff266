import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { IntakeAssistant } from './intake-assistant';
import { IntakesController } from './intakes.controller';

/** /v1/intakes: the help assistant before a case exists (R5–R8). */
@Module({ imports: [CasesModule], controllers: [IntakesController], providers: [IntakeAssistant] })
export class IntakesModule {}
