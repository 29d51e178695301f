import { AccountsModule } from '@app/accounts';
import { Module } from '@nestjs/common';
import { ElectionsRepository } from './elections/elections.repository';
import { ElectionsService } from './elections/elections.service';
import { PrecinctsRepository } from './precincts/precincts.repository';
import { PrecinctsService } from './precincts/precincts.service';

@Module({
  imports: [AccountsModule],
  providers: [ElectionsRepository, ElectionsService, PrecinctsRepository, PrecinctsService],
  exports: [ElectionsService, PrecinctsService, PrecinctsRepository],
})
export class ElectionsModule {}
