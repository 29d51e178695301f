import { PrecinctEntity, StagedCsv } from '@app/database';
import {
  isEvotingByRuleSql,
  precinctDigitsSql,
  precinctNumberFromDigitsSql,
  precinctNumberSql,
  PrecinctColumns,
  sqlLiteral,
} from '@app/domain';
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

  findOne(
    electionId: string,
    where: { id?: number; region?: string; number?: string },
  ): Promise<PrecinctEntity | null> {
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
   * Holds the election row until the transaction ends, as a foreign key would for each precinct
   * row written (`FOR KEY SHARE`): precincts has none since DropPrecinctsElectionForeignKey,
   * and every precinct is written by this repository after this call. Fails for an unknown id.
   */
  async lockElection(runner: QueryRunner, electionId: string): Promise<void> {
    const rows = await runner.query(`SELECT 1 FROM elections WHERE id = $1 FOR KEY SHARE`, [electionId]);
    if (rows.length === 0) throw new Error(`election ${electionId} does not exist`);
  }

  /**
   * The computed columns a staged precinct file needs (pass to `stageCsv`): `precinct_number`,
   * the API's precinct number rule, worked out by PostgreSQL as each row is copied.
   */
  static stagedKeys(
    columns: PrecinctColumns,
  ): (column: (header: string) => string | undefined) => Record<string, string> {
    return (column) => ({
      precinct_number: precinctNumberSql(
        column(columns.number) ?? 'NULL',
        (columns.district && column(columns.district)) || 'NULL',
      ),
    });
  }

  /**
   * Lists rows of a staged CSV (staged with `stagedKeys`) that cannot be precincts: no region,
   * no number, or a (region, number) that repeats. Repeats are found by hashing the keys, and
   * only the rare repeated keys are joined back to their rows.
   */
  async keyStagedRows(
    runner: QueryRunner,
    staged: StagedCsv,
    columns: PrecinctColumns,
  ): Promise<StagedPrecinctProblem[]> {
    const region = staged.column(columns.region)!;
    const label = staged.column(columns.number)!;
    return runner.query(
      `SELECT row_no AS row, message FROM (
         SELECT row_no, 'the region is empty' AS message FROM ${staged.table} WHERE btrim(coalesce(${region}, '')) = ''
         UNION ALL
         SELECT row_no, 'no precinct number in "' || coalesce(${label}, '') || '"' FROM ${staged.table}
          WHERE precinct_number IS NULL
         UNION ALL
         SELECT row_no, 'precinct ' || precinct_number || ' of ' || ${region} || ' appears more than once'
           FROM ${staged.table}
          WHERE (btrim(${region}), precinct_number) IN
                (SELECT btrim(${region}), precinct_number FROM ${staged.table}
                  WHERE precinct_number IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1)
       ) problems ORDER BY row_no LIMIT 100`,
    );
  }

  /**
   * Upserts every staged row as a precinct in one statement. A file with an e-voting column is
   * authoritative for the flag (empty cells fall back to the election's rule); without one, new
   * precincts get the rule and existing ones keep their flag (a coordinator may have set it).
   * Only new and changed rows are written (one UPDATE of the rows that differ, one INSERT of
   * the missing ones), so a re-import changes nothing: upserting all 96 k rows of the national
   * file with ON CONFLICT cost 0.8 s when none had changed.
   */
  async upsertStaged(
    runner: QueryRunner,
    electionId: string,
    staged: StagedCsv,
    columns: PrecinctColumns,
    evotingRule: string | undefined,
  ): Promise<{ inserted: number; updated: number }> {
    await this.lockElection(runner, electionId);
    const col = (name?: string) => (name && staged.column(name)) || 'NULL';
    const { evoting, fromFile } = evotingSql(col(columns.evoting ?? 'evoting'), evotingRule);
    const kept = (t: string) => `(${t}.district, ${t}.territory${fromFile ? `, ${t}.evoting` : ''})`;
    const [row] = await runner.query(
      `WITH src AS (
         SELECT btrim(${col(columns.region)}) AS region, nullif(btrim(${col(columns.district)}), '') AS district,
                nullif(btrim(${col(columns.territory)}), '') AS territory, precinct_number AS number
                ${fromFile ? `, ${col(columns.evoting ?? 'evoting')}` : ''}
           FROM ${staged.table}
       ), changed AS (
         UPDATE precincts p SET district = s.district, territory = s.territory${fromFile ? ', evoting = s.evoting' : ''}
           -- The flag is worked out only where it is needed: rows that may change, new rows.
           FROM (SELECT *${fromFile ? `, ${evoting} AS evoting` : ''} FROM src) s
          WHERE p.election_id = $1 AND p.region = s.region AND p.number = s.number
            AND ${kept('p')} IS DISTINCT FROM ${kept('s')}
         RETURNING 1
       ), added AS (
         INSERT INTO precincts AS p (election_id, region, district, territory, number, evoting)
         SELECT $1, region, district, territory, number, ${evoting} FROM src s
          WHERE NOT EXISTS (SELECT 1 FROM precincts e
                             WHERE e.election_id = $1 AND e.region = s.region AND e.number = s.number)
         -- Only a precinct created meanwhile by another transaction can conflict here.
         ON CONFLICT (election_id, region, number) DO UPDATE
            SET district = EXCLUDED.district, territory = EXCLUDED.territory${fromFile ? ', evoting = EXCLUDED.evoting' : ''}
          WHERE ${kept('p')} IS DISTINCT FROM ${kept('EXCLUDED')}
         RETURNING (xmax = 0) AS inserted
       )
       SELECT (SELECT count(*) FILTER (WHERE inserted) FROM added) AS inserted,
              (SELECT count(*) FROM changed) + (SELECT count(*) FILTER (WHERE NOT inserted) FROM added) AS updated`,
      [electionId],
    );
    return { inserted: Number(row.inserted), updated: Number(row.updated) };
  }
  /**
   * The precinct keys of every staged row, for a one-statement import over a staging table
   * staged without `stagedKeys`: a subquery with `row_no`, `region`, `district`, `territory`,
   * `number` (null when the row has none), `evoting_cell` and the `extra` columns (SQL over the
   * staged row `s`, by name). Each level is kept from being flattened (`OFFSET 0`) so that the
   * label's digits and then the number are worked out once per row: as a generated column of
   * the staging table, the number rule cost the national COPY half again, and flattened, the
   * number was computed again for the filter, the join and the output.
   */
  static keyedRowsSql(staged: StagedCsv, columns: PrecinctColumns, extra: Record<string, string>): string {
    const col = (name?: string) => (name && staged.column(name) && `s.${staged.column(name)}`) || 'NULL::text';
    const label = col(columns.number);
    const extraNames = Object.keys(extra)
      .map((name) => `, ${name}`)
      .join('');
    return `SELECT row_no, region, district, territory, number, evoting_cell${extraNames}
      FROM (SELECT d.*, ${precinctNumberFromDigitsSql('d.label_digits', 'd.label', 'd.district_cell')} AS number
              FROM (SELECT ${staged.rowNumber ?? 's.row_no'} AS row_no, btrim(${col(columns.region)}) AS region,
                           nullif(btrim(${col(columns.district)}), '') AS district,
                           nullif(btrim(${col(columns.territory)}), '') AS territory, ${label} AS label,
                           ${col(columns.district)} AS district_cell, ${precinctDigitsSql(label)} AS label_digits,
                           ${col(columns.evoting ?? 'evoting')} AS evoting_cell${Object.entries(extra)
                             .map(([name, sql]) => `, ${sql} AS ${name}`)
                             .join('')}
                      FROM ${staged.table} s OFFSET 0) d
            OFFSET 0) k`;
  }

  /**
   * SQL that hands out the id of a new precinct (`nextval` of the id's sequence): a
   * one-statement import numbers its new precincts beforehand, so that the official rows take
   * their ids without joining back to the precincts it inserts.
   */
  async newIdSql(runner: QueryRunner): Promise<string> {
    const [row] = await runner.query(`SELECT pg_get_serial_sequence('precincts', 'id') AS seq`);
    return `nextval(${sqlLiteral(row.seq)}::regclass)`;
  }

  /**
   * The precinct half of a one-statement import: CTEs `changed` (existing precincts whose
   * district, territory or file-given e-voting flag differ, updated) and `added` (new ones,
   * inserted with the ids numbered by `newIdSql`), over a CTE `keyed`: rows of `keyedRowsSql`
   * with `id`, `is_new` and the existing precinct's `old_district`, `old_territory` and
   * `old_evoting`. The same rules as `upsertStaged`, but without ON CONFLICT, which made each
   * insert a speculative one (a third of the cost): a precinct created meanwhile by another
   * transaction, or a precinct twice in the file, fails the statement on the unique key.
   */
  static upsertKeyedSql(
    staged: StagedCsv,
    columns: PrecinctColumns,
    electionParam: string,
    evotingRule: string | undefined,
  ): string {
    const cell = staged.column(columns.evoting ?? 'evoting') ? 'evoting_cell' : 'NULL';
    const { evoting, fromFile } = evotingSql(cell, evotingRule);
    return `changed AS (
         UPDATE precincts p SET district = k.district, territory = k.territory${fromFile ? ', evoting = k.evoting' : ''}
           FROM (SELECT *${fromFile ? `, ${evoting} AS evoting` : ''} FROM keyed WHERE NOT is_new) k
          WHERE p.id = k.id
            AND (k.old_district, k.old_territory${fromFile ? ', k.old_evoting' : ''})
                IS DISTINCT FROM (k.district, k.territory${fromFile ? ', k.evoting' : ''})
         RETURNING 1
       ), added AS (
         INSERT INTO precincts (id, election_id, region, district, territory, number, evoting)
         SELECT id, ${electionParam}, region, district, territory, number, ${evoting} FROM keyed WHERE is_new
         RETURNING 1
       )`;
  }
}

/**
 * The e-voting flag of a staged row. A file with an e-voting column is authoritative (empty
 * cells fall back to the election's rule); without one, the rule gives new precincts their flag.
 */
function evotingSql(evotingColumn: string, evotingRule: string | undefined): { evoting: string; fromFile: boolean } {
  const rule = isEvotingByRuleSql(evotingRule, 'region', 'number', 'territory');
  if (evotingColumn === 'NULL') return { evoting: rule, fromFile: false };
  return {
    evoting: `coalesce(CASE lower(btrim(${evotingColumn}))
             WHEN 'true' THEN true WHEN '1' THEN true WHEN 'yes' THEN true
             WHEN 'false' THEN false WHEN '0' THEN false WHEN 'no' THEN false END, ${rule})`,
    fromFile: true,
  };
}
