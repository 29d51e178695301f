import { PrecinctEntity, StagedCsv } from '@app/database';
import { isEvotingByRuleSql, precinctNumberSql, PrecinctColumns } from '@app/domain';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, QueryRunner, Repository } from 'typeorm';

export interface StagedPrecinctProblem {
  row: number;
  message: string;
}

@Injectable()
export class PrecinctsRepository {
  constructor(@InjectRepository(PrecinctEntity) private readonly precincts: Repository<PrecinctEntity>) {}

  findOne(electionId: string, where: { id?: number; region?: string; number?: string }): Promise<PrecinctEntity | null> {
    return this.precincts.findOneBy({ electionId, ...where });
  }

  async search(
    electionId: string,
    q: { region?: string; number?: string; district?: string },
    page: number,
    pageSize: number,
  ): Promise<{ items: PrecinctEntity[]; total: number }> {
    const qb = this.precincts.createQueryBuilder('p').where('p.electionId = :electionId', { electionId });
    if (q.region) qb.andWhere('p.region = :region', { region: q.region });
    if (q.district) qb.andWhere('p.district = :district', { district: q.district });
    if (q.number) qb.andWhere('p.number = :number', { number: q.number });
    const [items, total] = await qb
      .orderBy('p.region')
      .addOrderBy('length(p.number)')
      .addOrderBy('p.number')
      .skip((page - 1) * pageSize)
      .take(pageSize)
      .getManyAndCount();
    return { items, total };
  }

  async regions(electionId: string): Promise<Array<{ region: string; precincts: number }>> {
    const rows: Array<{ region: string; precincts: string }> = await this.precincts.query(
      `SELECT region, count(*) AS precincts FROM precincts WHERE election_id = $1 GROUP BY region ORDER BY region`,
      [electionId],
    );
    return rows.map((r) => ({ region: r.region, precincts: Number(r.precincts) }));
  }

  async setEvoting(id: number, evoting: boolean, manager: EntityManager = this.precincts.manager): Promise<void> {
    await manager.update(PrecinctEntity, { id }, { evoting });
  }

  /**
   * Adds the `precinct_number` column (the API's precinct number rule) to a staged CSV and lists
   * rows that cannot be precincts: no region, no number, or a (region, number) that repeats.
   */
  async keyStagedRows(runner: QueryRunner, staged: StagedCsv, columns: PrecinctColumns): Promise<StagedPrecinctProblem[]> {
    const region = staged.column(columns.region)!;
    const label = staged.column(columns.number)!;
    const district = (columns.district && staged.column(columns.district)) || 'NULL';
    await runner.query(`ALTER TABLE ${staged.table} ADD COLUMN precinct_number text`);
    await runner.query(`UPDATE ${staged.table} SET precinct_number = ${precinctNumberSql(label, district)}`);
    return runner.query(
      `SELECT row_no AS row, message FROM (
         SELECT row_no, 'the region is empty' AS message FROM ${staged.table} WHERE btrim(coalesce(${region}, '')) = ''
         UNION ALL
         SELECT row_no, 'no precinct number in "' || coalesce(${label}, '') || '"' FROM ${staged.table}
          WHERE precinct_number IS NULL
         UNION ALL
         SELECT row_no, 'precinct ' || precinct_number || ' of ' || ${region} || ' appears more than once'
           FROM (SELECT row_no, precinct_number, ${region},
                        count(*) OVER (PARTITION BY btrim(${region}), precinct_number) AS n
                   FROM ${staged.table} WHERE precinct_number IS NOT NULL) d
          WHERE n > 1
       ) problems ORDER BY row_no LIMIT 100`,
    );
  }

  /**
   * Upserts every staged row as a precinct in one statement. A file with an e-voting column is
   * authoritative for the flag (empty cells fall back to the election's rule); without one, new
   * precincts get the rule and existing ones keep their flag (a coordinator may have set it).
   * Rows equal to what is stored are not written, so a re-import changes nothing.
   */
  async upsertStaged(
    runner: QueryRunner,
    electionId: string,
    staged: StagedCsv,
    columns: PrecinctColumns,
    evotingRule: string | undefined,
  ): Promise<{ inserted: number; updated: number }> {
    const col = (name?: string) => (name && staged.column(name)) || 'NULL';
    const evotingColumn = col(columns.evoting ?? 'evoting');
    const rule = isEvotingByRuleSql(evotingRule, 'region', 'number', 'territory');
    const evoting =
      evotingColumn === 'NULL'
        ? rule
        : `coalesce(CASE lower(btrim(${evotingColumn}))
             WHEN 'true' THEN true WHEN '1' THEN true WHEN 'yes' THEN true
             WHEN 'false' THEN false WHEN '0' THEN false WHEN 'no' THEN false END, ${rule})`;
    const fromFile = evotingColumn !== 'NULL';
    const [row] = await runner.query(
      `WITH src AS (
         SELECT btrim(${col(columns.region)}) AS region, nullif(btrim(${col(columns.district)}), '') AS district,
                nullif(btrim(${col(columns.territory)}), '') AS territory, precinct_number AS number, *
           FROM ${staged.table}
       ), written AS (
         INSERT INTO precincts AS p (election_id, region, district, territory, number, evoting)
         SELECT $1, region, district, territory, number, ${evoting} FROM src
         ON CONFLICT (election_id, region, number) DO UPDATE
            SET district = EXCLUDED.district, territory = EXCLUDED.territory
                ${fromFile ? ', evoting = EXCLUDED.evoting' : ''}
          WHERE (p.district, p.territory${fromFile ? ', p.evoting' : ''})
                IS DISTINCT FROM (EXCLUDED.district, EXCLUDED.territory${fromFile ? ', EXCLUDED.evoting' : ''})
         RETURNING (xmax = 0) AS inserted
       )
       SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated
         FROM written`,
      [electionId],
    );
    return { inserted: Number(row.inserted), updated: Number(row.updated) };
  }
}
