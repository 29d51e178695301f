import { OfficialImportEntity, RowError, StagedCsv } from '@app/database';
import { PrecinctColumns, ProtocolTemplateModel, violatedRatiosSql } from '@app/domain';
import { PrecinctsRepository } from '@app/elections';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, QueryRunner, Repository } from 'typeorm';

/** Serialises imports of one election, so that versions are handed out one at a time. */
const IMPORT_LOCK = 7_301_601;

/** A cell of the staged file that cannot be a protocol number. */
export interface BadCell {
  row: number;
  n: number;
  value: string | null;
}

export interface ChangedPrecinct {
  id: number;
  region: string;
  district: string | null;
  number: string;
  previous: Array<number | null>;
  current: Array<number | null>;
}

/**
 * A cell PostgreSQL reads as an int, as the typed COPY of the fast path does: digits, an
 * optional sign, white space around them. Its value must then lie in 0–999,999,999.
 */
const INT_PATTERN = `'^[ \\t\\n\\v\\f\\r]*[+-]?[0-9]+[ \\t\\n\\v\\f\\r]*$'`;

@Injectable()
export class OfficialImportsRepository {
  constructor(@InjectRepository(OfficialImportEntity) private readonly imports: Repository<OfficialImportEntity>) {}

  async create(manager: EntityManager, row: Partial<OfficialImportEntity>): Promise<void> {
    await manager.insert(OfficialImportEntity, row);
  }

  findById(id: string): Promise<OfficialImportEntity | null> {
    return this.imports.findOneBy({ id });
  }

  listForElection(electionId: string, limit: number): Promise<OfficialImportEntity[]> {
    return this.imports.find({ where: { electionId }, order: { createdAt: 'DESC' }, take: limit });
  }

  /**
   * Imports that should be running or about to, queued at least `olderThanSeconds` ago and no
   * longer waiting in the outbox: the reconciler re-enqueues those whose job is gone.
   */
  async unfinished(olderThanSeconds: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.imports.query(
      `SELECT id FROM official_imports i
        WHERE status IN ('queued', 'running') AND created_at < now() - make_interval(secs => $1)
          AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.job_id = 'import-' || i.id AND o.dispatched_at IS NULL)
        ORDER BY created_at LIMIT 100`,
      [olderThanSeconds],
    );
    return rows.map((r) => r.id);
  }

  /** Moves a queued (or interrupted) import to running; false when it has finished already. */
  async markRunning(id: string): Promise<boolean> {
    const rows = await this.imports.query(
      `UPDATE official_imports SET status = 'running', started_at = now(), rows_done = 0
        WHERE id = $1 AND status IN ('queued', 'running') RETURNING id`,
      [id],
    );
    return rows[0].length > 0;
  }

  /** Progress, written outside the import's transaction so that pollers see it while it runs. */
  async progress(id: string, rowsDone: number, rowsTotal: number | null): Promise<void> {
    await this.imports.query(
      `UPDATE official_imports SET rows_done = $2, rows_total = coalesce($3, rows_total)
        WHERE id = $1 AND status = 'running'`,
      [id, rowsDone, rowsTotal],
    );
  }

  /** Fails an import; rows that parts of an interrupted earlier run committed go with it. */
  async fail(id: string, errors: RowError[], rowsTotal: number | null): Promise<void> {
    await this.imports.query(
      `WITH dropped AS (
         DELETE FROM official_results
          WHERE import_id = $1 AND EXISTS (SELECT 1 FROM official_imports WHERE id = $1 AND status IN ('queued', 'running'))
       )
       UPDATE official_imports SET status = 'failed', errors = $2, rows_total = coalesce($3, rows_total), finished_at = now()
        WHERE id = $1 AND status IN ('queued', 'running')`,
      [id, JSON.stringify(errors), rowsTotal],
    );
  }

  /**
   * Removes the rows of an import that is not done: what the parts of an interrupted parallel
   * load committed before the import's own transaction could (nothing, almost always).
   */
  async dropRows(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`DELETE FROM official_results WHERE import_id = $1`, [id]);
  }

  async finish(manager: EntityManager, id: string, version: number, rows: number): Promise<void> {
    await manager.query(
      `UPDATE official_imports
          SET status = 'done', version = $2, rows_total = $3, rows_done = $3, errors = '[]', finished_at = now()
        WHERE id = $1`,
      [id, version, rows],
    );
  }

  /** Takes the election's import lock until the transaction ends. */
  async lockElection(manager: EntityManager, electionId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [IMPORT_LOCK, electionId]);
  }

  /**
   * Settings for the import's transaction only: the staged table is never analysed, so row
   * estimates are guesses, and a guess above JIT's threshold compiled the row checks for longer
   * than they run; hashes and sorts over 96 k staged rows spilled to disk at the default 4 MB.
   */
  async tuneForBulk(manager: EntityManager): Promise<void> {
    await manager.query(`SET LOCAL jit = off`);
    await manager.query(`SET LOCAL work_mem = '64MB'`);
  }

  async statusOf(manager: EntityManager, id: string): Promise<string | undefined> {
    const rows: Array<{ status: string }> = await manager.query(`SELECT status FROM official_imports WHERE id = $1`, [
      id,
    ]);
    return rows[0]?.status;
  }

  async nextVersion(manager: EntityManager, electionId: string): Promise<number> {
    const [row] = await manager.query(
      `SELECT coalesce(max(version), 0) + 1 AS version FROM official_imports WHERE election_id = $1`,
      [electionId],
    );
    return Number(row.version);
  }

  /**
   * Every cell of a line column that is not a whole number from 0 to 999,999,999. Rows are
   * first passed by a cheap test without regular expressions (no empty cell, only digits once
   * the cells are joined, at most nine per cell): a fifth of the cost of one pattern per cell.
   * `||` and `ltrim` join and test the digits in 0.11 s over the national file, where
   * `concat` and `translate` took 0.28 s (nulls are caught by `num_nulls` first).
   * Only the rare rows that fail it are taken apart per line, where a cell passes when
   * PostgreSQL reads it as an int in range (padding, a sign, leading zeros), so that the checked
   * path refuses exactly the cells that the fast path's typed COPY and range test refuse.
   */
  async badCells(
    runner: QueryRunner,
    staged: StagedCsv,
    lines: Array<{ n: number; column: string }>,
  ): Promise<BadCell[]> {
    if (lines.length === 0) return [];
    const list = lines.map((l) => l.column).join(', ');
    const lengths = lines.map((l) => `length(${l.column})`).join(', ');
    const joined = lines.map((l) => l.column).join(' || ');
    const fine = `num_nulls(${list}) = 0 AND ltrim(${joined}, '0123456789') = ''
      AND least(${lengths}) >= 1 AND greatest(${lengths}) <= 9`;
    const anyBad = `NOT (${fine})`;
    const cells = lines.map((l) => `(${l.n}, s.${l.column})`).join(', ');
    const rows: Array<{ row: number; n: number; value: string | null }> = await runner.query(
      `SELECT s.row_no AS row, cell.n, cell.value
         FROM (SELECT * FROM ${staged.table} WHERE ${anyBad}) s
        CROSS JOIN LATERAL (VALUES ${cells}) AS cell(n, value)
        WHERE CASE WHEN cell.value IS NULL OR cell.value !~ ${INT_PATTERN} THEN true
                   ELSE cell.value::numeric NOT BETWEEN 0 AND 999999999 END
        ORDER BY s.row_no, cell.n
        LIMIT 100`,
    );
    return rows.map((r) => ({ row: Number(r.row), n: Number(r.n), value: r.value }));
  }

  /**
   * Writes every staged row as the official result of its precinct in this import, in one
   * statement, with the control ratios each row breaks (kept and flagged: a finding, not an
   * error). The staged rows have been checked and their precincts upserted. `OFFSET 0` keeps
   * the array built once per row: flattened, it was rebuilt for each of the ratios' ~45 terms.
   */
  async insertStaged(
    runner: QueryRunner,
    importId: string,
    electionId: string,
    staged: StagedCsv,
    model: ProtocolTemplateModel,
    regionColumn: string,
  ): Promise<number> {
    const values = model.lines
      .map((line) => {
        const column = line.column === undefined ? undefined : staged.column(line.column);
        return column ? `s.${column}::int` : 'NULL::int';
      })
      .join(', ');
    const result: { affected?: number } = await runner.query(
      `INSERT INTO official_results (import_id, precinct_id, row_number, line_values, violated_ratios)
       SELECT $1, p.id, s.row_no, v.line_values, ${violatedRatiosSql(model, 'v.line_values')}
         FROM ${staged.table} s
         JOIN precincts p ON p.election_id = $2 AND p.region = btrim(s.${regionColumn}) AND p.number = s.precinct_number
        CROSS JOIN LATERAL (SELECT ARRAY[${values}]::int[] AS line_values OFFSET 0) v`,
      [importId, electionId],
      true,
    );
    return result.affected ?? 0;
  }

  /**
   * The one-statement import of a file staged with every line column typed `int NOT NULL`:
   * precinct keys, precinct upsert and all official rows in one pass over the staged rows
   * (one join with the election's precincts), with the control ratios over the int columns.
   * A row it cannot take (no region or number, a cell outside 0–999,999,999) is left out, and
   * a repeated precinct fails the statement (unique key): the caller compares `written` with the
   * staged rows and, on any difference or error, rolls back and takes the checked path.
   */
  async insertTyped(
    runner: QueryRunner,
    importId: string,
    electionId: string,
    staged: StagedCsv,
    model: ProtocolTemplateModel,
    columns: PrecinctColumns,
    evotingRule: string | undefined,
    newId: string,
  ): Promise<{ written: number; inserted: number; updated: number }> {
    const lineColumn = (position: number): string | undefined => {
      const header = model.lines[position - 1].column;
      const column = header === undefined ? undefined : staged.column(header);
      return column && `s.${column}`;
    };
    const positions = model.lines.map((_, i) => i + 1);
    const cells = positions.map(lineColumn).filter((c): c is string => !!c);
    const values = positions.map((p) => lineColumn(p) ?? 'NULL::int').join(', ');
    const inRange = cells.length
      ? `least(${cells.join(', ')}) >= 0 AND greatest(${cells.join(', ')}) <= 999999999`
      : 'true';
    const rows = PrecinctsRepository.keyedRowsSql(staged, columns, {
      line_values: `ARRAY[${values}]::int[]`,
      violated_ratios: violatedRatiosSql(model, (p) => lineColumn(p) ?? 'NULL::int'),
      in_range: inRange,
    });
    const [row] = await runner.query(
      `WITH keyed AS (
         SELECT r.*, coalesce(p.id, ${newId}) AS id, p.id IS NULL AS is_new,
                p.district AS old_district, p.territory AS old_territory, p.evoting AS old_evoting
           FROM (${rows}) r
           LEFT JOIN precincts p ON p.election_id = $2 AND p.region = r.region AND p.number = r.number
          WHERE r.region <> '' AND r.number IS NOT NULL AND r.in_range
       ), ${PrecinctsRepository.upsertKeyedSql(staged, columns, '$2::uuid', evotingRule)}, written AS (
         INSERT INTO official_results (import_id, precinct_id, row_number, line_values, violated_ratios)
         SELECT $1, id, row_no, line_values, violated_ratios FROM keyed
       )
       -- A data-modifying CTE runs to the end, referenced or not: every keyed row is written.
       SELECT (SELECT count(*) FROM keyed) AS written, (SELECT count(*) FROM added) AS inserted,
              (SELECT count(*) FROM changed) AS updated`,
      [importId, electionId],
    );
    return { written: Number(row.written), inserted: Number(row.inserted), updated: Number(row.updated) };
  }

  async flaggedRows(importId: string): Promise<number> {
    const [row] = await this.imports.query(
      `SELECT count(*) AS n FROM official_results WHERE import_id = $1 AND violated_ratios <> '{}'`,
      [importId],
    );
    return Number(row.n);
  }

  /** The done import of the same election just before this one, if any. */
  async previousOf(imp: OfficialImportEntity): Promise<OfficialImportEntity | null> {
    if (imp.version === null) return null;
    const rows: Array<{ id: string }> = await this.imports.query(
      `SELECT id FROM official_imports
        WHERE election_id = $1 AND status = 'done' AND version < $2 ORDER BY version DESC LIMIT 1`,
      [imp.electionId, imp.version],
    );
    return rows[0] ? this.findById(rows[0].id) : null;
  }

  /** Precincts in both imports whose numbers differ, in precinct order. */
  async changes(
    importId: string,
    previousId: string,
    offset: number,
    limit: number,
  ): Promise<{ items: ChangedPrecinct[]; total: number }> {
    const from = `FROM official_results cur
      JOIN official_results prev ON prev.import_id = $2 AND prev.precinct_id = cur.precinct_id
     WHERE cur.import_id = $1 AND cur.line_values IS DISTINCT FROM prev.line_values`;
    const [{ total }] = await this.imports.query(`SELECT count(*) AS total ${from}`, [importId, previousId]);
    const items: ChangedPrecinct[] = await this.imports.query(
      `SELECT p.id, p.region, p.district, p.number, prev.line_values AS previous, cur.line_values AS current
         ${from.replace('WHERE', 'JOIN precincts p ON p.id = cur.precinct_id WHERE')}
        ORDER BY p.region, length(p.number), p.number
        OFFSET $3 LIMIT $4`,
      [importId, previousId, offset, limit],
    );
    return { items, total: Number(total) };
  }
}
