import { Module } from '@nestjs/common';
import { GetReportHandler, ListReportsHandler } from './report.queries';
import { ReportsController } from './reports.controller';

/** /v1/reports (supervisors and auditors: `report.read`). */
@Module({ controllers: [ReportsController], providers: [ListReportsHandler, GetReportHandler] })
export class ReportsModule {}
