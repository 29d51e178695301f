import { ElectionEntity } from '@app/database';
import { ElectionsService } from '@app/elections';
import { Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { templateSql, TemplateSql } from './analysis-sql';
import { OfficialVersion, OfficialVersionsRepository } from './official-versions.repository';

export interface AnalysisSource {
  election: ElectionEntity;
  version: OfficialVersion;
  sql: TemplateSql;
}

/** What every analysis starts from: the election, its template as SQL, its latest official version. */
@Injectable()
export class AnalysisSourceService {
  constructor(
    private readonly elections: ElectionsService,
    private readonly versions: OfficialVersionsRepository,
  ) {}

  async load(slug: string, region: string | undefined): Promise<AnalysisSource> {
    const election = await this.elections.getEntity(slug);
    const sql = templateSql(this.elections.templateOf(election));
    if (sql.candidates.length === 0) {
      throw new UnprocessableEntityException('The election’s template has no candidate lines to analyse');
    }
    const version = await this.versions.latest(election.id);
    if (!version) throw new NotFoundException(`No official results have been imported for "${slug}" yet`);
    if (region !== undefined && !(await this.versions.hasRegion(election.id, region))) {
      throw new NotFoundException(`The election "${slug}" has no precincts in the region "${region}"`);
    }
    return { election, version, sql };
  }
}
