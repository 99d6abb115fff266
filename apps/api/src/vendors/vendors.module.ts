import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { GetVendorsHandler, VendorsController } from './vendors.controller';

/** /v1/vendors (R16). The directory and the router come from the global RoutingModule. */
@Module({ imports: [CasesModule], controllers: [VendorsController], providers: [GetVendorsHandler] })
export class VendorsModule {}
