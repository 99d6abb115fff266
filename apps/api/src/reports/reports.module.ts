import { Module } from '@nestjs/common';
import { ReportsController } from './reports.controller';

/** /v1/reports (supervisors and auditors: `report.read`). */
@Module({ controllers: [ReportsController] })
export class ReportsModule {}
