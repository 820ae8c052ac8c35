import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiParam, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';
import { Authenticated, inPath, inQuery } from '@bedside/auth';
import { SupervisionReportDto } from './report-answer.dto';
import { ReportQueryDto } from './report.dto';
import { reportCsv, reportXlsx } from './report-export';
import { SupervisionReportService } from './supervision-report.service';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Monthly figures for civil-affairs supervision (监管): JSON for a provincial platform, CSV and XLSX to download. */
@ApiTags('supervision')
@Controller('api/organisations/:id/supervision-report')
export class ReportsController {
  constructor(private readonly reports: SupervisionReportService) {}

  @Get()
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiExtraModels(SupervisionReportDto)
  @ApiOkResponse({
    description: 'JSON, or with `format` a CSV or XLSX file of the same figures',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(SupervisionReportDto) } },
      'text/csv': { schema: { type: 'string' } },
      [XLSX]: { schema: { type: 'string', format: 'binary' } },
    },
  })
  @Authenticated({ permission: 'kpi.read', owns: [inPath('organisation'), inQuery('region', 'regionId')] })
  async monthly(@Param('id') id: string, @Query() q: ReportQueryDto, @Res() res: Response): Promise<void> {
    const report = await this.reports.monthly(id, q.month, q.timeZone ?? 'Asia/Shanghai', q.regionId);
    const name = `supervision-${q.month}${report.region ? `-${report.region.id}` : ''}`;
    switch (q.format ?? 'json') {
      case 'json':
        res.json(report);
        return;
      case 'csv':
        res.type('text/csv; charset=utf-8').attachment(`${name}.csv`).send(reportCsv(report));
        return;
      case 'xlsx':
        res
          .type(XLSX)
          .attachment(`${name}.xlsx`)
          .send(await reportXlsx(report));
        return;
    }
  }
}
