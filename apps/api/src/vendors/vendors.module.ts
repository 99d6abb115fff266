import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { CalendarsController } from './calendars.controller';
import { GetVendorsHandler, VendorsController } from './vendors.controller';

/** /v1/vendors (R16) and /v1/calendars (R10). The directory and the router come from the global RoutingModule. */
@Module({
  imports: [CasesModule],
  controllers: [VendorsController, CalendarsController],
  providers: [GetVendorsHandler],
})
export class VendorsModule {}
