import { Roles } from '@app/accounts';
import { AuditEntry, AuditService } from '@app/audit';
import { AuditQueryDto } from '@app/review';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles('coordinator')
  @ApiOperation({ summary: "A report's audit trail, oldest first, with each entry's hash chain link" })
  async forReport(@Query() query: AuditQueryDto): Promise<{ items: AuditEntry[] }> {
    return { items: await this.audit.forReport(query.reportId) };
  }
}
