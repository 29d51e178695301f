import { AccountsModule, AuthGuard } from '@app/accounts';
import { AuditModule } from '@app/audit';
import { AppConfigModule, loggingModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { ElectionsModule } from '@app/elections';
import { QueueModule } from '@app/queue';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { AnalysisHttpModule } from './analysis/analysis-http.module';
import { MatchingHttpModule } from './matching/matching-http.module';
import { OfficialResultsHttpModule } from './official-results/official-results-http.module';
import { ReportsHttpModule } from './reports/reports-http.module';
import { ReviewHttpModule } from './review/review-http.module';
import { AdminBootstrapService } from './accounts/admin-bootstrap.service';
import { AdminController } from './admin/admin.controller';
import { AuthController } from './accounts/auth.controller';
import { InvitesController } from './accounts/invites.controller';
import { UsersController } from './accounts/users.controller';
import { ElectionsController } from './elections/elections.controller';
import { PrecinctsController } from './elections/precincts.controller';
import { HealthController } from './health/health.controller';

/** The HTTP API: controllers only; the work happens in the libs' services. */
@Module({
  imports: [
    AppConfigModule,
    loggingModule,
    DatabaseModule,
    QueueModule,
    AuditModule,
    TerminusModule,
    AccountsModule,
    ElectionsModule,
    ReportsHttpModule,
    ReviewHttpModule,
    OfficialResultsHttpModule,
    MatchingHttpModule,
    AnalysisHttpModule,
  ],
  controllers: [
    AuthController,
    UsersController,
    InvitesController,
    ElectionsController,
    PrecinctsController,
    HealthController,
    AdminController,
  ],
  providers: [{ provide: APP_GUARD, useExisting: AuthGuard }, AdminBootstrapService],
})
export class ApiModule {}
