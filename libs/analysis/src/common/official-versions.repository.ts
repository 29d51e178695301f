import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface OfficialVersion {
  importId: string;
  version: number;
  finishedAt: Date | null;
}

@Injectable()
export class OfficialVersionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The latest official version: the finished import with the highest version number. */
  async latest(electionId: string): Promise<OfficialVersion | null> {
    const [row] = await this.dataSource.query(
      `SELECT id AS "importId", version, finished_at AS "finishedAt"
         FROM official_imports
        WHERE election_id = $1 AND status = 'done' AND version IS NOT NULL
        ORDER BY version DESC LIMIT 1`,
      [electionId],
    );
    return row ?? null;
  }

  async hasRegion(electionId: string, region: string): Promise<boolean> {
    const [row] = await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM precincts WHERE election_id = $1 AND region = $2) AS found`,
      [electionId, region],
    );
    return row.found;
  }
}
