import { AuthService } from '@app/accounts';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';

/** Creates the ADMIN_EMAIL account on start when it does not exist yet. */
@Injectable()
export class AdminBootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminBootstrapService.name);

  constructor(private readonly auth: AuthService) {}

  async onApplicationBootstrap(): Promise<void> {
    if (await this.auth.ensureAdmin()) this.logger.log('Created the bootstrap admin account from ADMIN_EMAIL');
  }
}
