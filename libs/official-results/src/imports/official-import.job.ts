import { APP_CONFIG, AppConfig } from '@app/config';
import { CsvFormatError, OfficialImportEntity, RowError, stageCsv, StagedCsv } from '@app/database';
import { ProtocolTemplateModel } from '@app/domain';
import { ElectionsService, PrecinctsRepository } from '@app/elections';
import { job, JobName, OnJob, OutboxRelay, OutboxService } from '@app/queue';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Job, UnrecoverableError } from 'bullmq';
import { join } from 'node:path';
import { DataSource, QueryRunner } from 'typeorm';
import { openCountingLines, ProgressWriter } from './import-progress';
import { OfficialImportsRepository } from './official-imports.repository';
import { isUuid } from './official-imports.service';

/** Largest official-results file accepted, decompressed. */
export const MAX_OFFICIAL_FILE_BYTES = 1024 ** 3;
const MAX_ERRORS = 100;

/** A file that cannot become a version: the import fails with these errors, nothing changes. */
class ImportRefused extends Error {
  constructor(
    readonly errors: RowError[],
    readonly rowsTotal: number | null = null,
  ) {
    super(errors.map((e) => `row ${e.row}: ${e.message}`).join('; '));
  }
}

/** A file whose header lacks template columns: reading it again would not help. */
class MissingHeaders extends ImportRefused {}

/** What both load paths work from: the import, its election's template and its progress. */
interface LoadInput {
  imp: OfficialImportEntity;
  model: ProtocolTemplateModel;
  electionId: string;
  evotingRule: string | undefined;
  progress: ProgressWriter;
}

export type ImportOutcome =
  { status: 'done'; version: number; rows: number } | { status: 'failed'; errors: number } | { skipped: string };

/**
 * Loads an uploaded official-results file as a new version, in one transaction: PostgreSQL
 * parses the CSV into a staging table, the header and every row are checked in SQL, new
 * precincts are created, all rows are written in one statement, and the full rematch is
 * enqueued with the new version. Any bad row refuses the whole file.
 */
@Injectable()
export class OfficialImportJob {
  private readonly logger = new Logger(OfficialImportJob.name);

  constructor(
    private readonly imports: OfficialImportsRepository,
    private readonly precincts: PrecinctsRepository,
    private readonly elections: ElectionsService,
    private readonly outbox: OutboxService,
    private readonly relay: OutboxRelay,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @OnJob(JobName.ImportOfficialResults)
  async handle(queued: Job): Promise<ImportOutcome> {
    const importId = (queued.data as { importId?: unknown } | undefined)?.importId;
    if (!isUuid(importId)) throw new UnrecoverableError(`bad payload: ${JSON.stringify(queued.data)}`);
    try {
      return await this.run(importId);
    } catch (e) {
      if (queued.attemptsMade + 1 >= (queued.opts.attempts ?? 1)) {
        await this.imports.fail(
          importId,
          [{ row: 0, message: `the import could not be completed: ${(e as Error).message}` }],
          null,
        );
      }
      throw e;
    }
  }

  /** Runs one import; a finished import (done or failed) is never run again. */
  async run(importId: string): Promise<ImportOutcome> {
    const imp = await this.imports.findById(importId);
    if (!imp) return { skipped: 'no such import' };
    if (imp.status === 'done' || imp.status === 'failed') return { skipped: imp.status };
    if (!(await this.imports.markRunning(importId))) return { skipped: 'finished meanwhile' };
    const progress = new ProgressWriter((rows) => this.imports.progress(importId, rows, null));
    try {
      const outcome = await this.load(imp, progress);
      this.relay.kick();
      if ('status' in outcome) this.logger.log(`import ${importId}: version ${outcome.version}, ${outcome.rows} rows`);
      return outcome;
    } catch (e) {
      await progress.stop();
      if (!(e instanceof ImportRefused)) throw e;
      await this.imports.fail(importId, e.errors.slice(0, MAX_ERRORS), e.rowsTotal);
      this.logger.log(`import ${importId} refused: ${e.errors.length} error(s)`);
      return { status: 'failed', errors: e.errors.length };
    }
  }

  private async load(
    imp: OfficialImportEntity,
    progress: ProgressWriter,
  ): Promise<{ status: 'done'; version: number; rows: number } | { skipped: string }> {
    const election = await this.elections.getEntityById(imp.electionId);
    const model = this.elections.templateOf(election);
    return this.dataSource.transaction(async (manager) => {
      const runner = manager.queryRunner!;
      await this.imports.lockElection(manager, election.id);
      await this.imports.tuneForBulk(manager);
      if ((await this.imports.statusOf(manager, imp.id)) !== 'running') return { skipped: 'finished meanwhile' };
      const input: LoadInput = {
        imp,
        model,
        electionId: election.id,
        evotingRule: election.template.evotingRule,
        progress,
      };
      const rows = (await this.loadTyped(runner, input)) ?? (await this.loadChecked(runner, input));
      const version = await this.imports.nextVersion(manager, election.id);
      await progress.stop();
      await this.imports.finish(manager, imp.id, version, rows);
      await this.outbox.add(
        manager,
        job(JobName.MatchElection, `match-election-${imp.id}`, { electionId: election.id, importId: imp.id }),
      );
      return { status: 'done' as const, version, rows };
    });
  }

  /**
   * The fast path, for a file without a bad row: COPY with every line column typed
   * `int NOT NULL` (PostgreSQL converts while it parses), then one statement for the precincts
   * and all official rows. Null when the file needs the checked path (any cell COPY refuses,
   * any row the statement could not take): everything since the savepoint is undone.
   */
  private async loadTyped(runner: QueryRunner, input: LoadInput): Promise<number | null> {
    const { imp, model, electionId, evotingRule } = input;
    const columns = model.template.precinctColumns;
    const types = Object.fromEntries(
      model.lines.flatMap((l) => (l.column === undefined ? [] : [[l.column, 'int NOT NULL']])),
    );
    await runner.query(`SAVEPOINT typed_import`);
    try {
      const staged = await this.stage(runner, input, { types });
      if (staged.rows > 0) {
        await this.precincts.lockElection(runner, electionId);
        const newId = await this.precincts.newIdSql(runner);
        const { written } = await this.imports.insertTyped(
          runner,
          imp.id,
          electionId,
          staged,
          model,
          columns,
          evotingRule,
          newId,
        );
        if (written === staged.rows) {
          await runner.query(`RELEASE SAVEPOINT typed_import`);
          return written;
        }
      }
    } catch (e) {
      if (e instanceof MissingHeaders) throw e;
      this.logger.debug(`import ${imp.id}: checked path (${(e as Error).message})`);
    }
    await runner.query(`ROLLBACK TO SAVEPOINT typed_import`);
    return null;
  }

  /**
   * The checked path: COPY as text, every row problem listed (the import refused), then the
   * precinct upsert and the insert of every official row.
   */
  private async loadChecked(runner: QueryRunner, input: LoadInput): Promise<number> {
    const { imp, model, electionId, evotingRule } = input;
    const columns = model.template.precinctColumns;
    const staged = await this.stage(runner, input, { computed: PrecinctsRepository.stagedKeys(columns) });
    await this.check(runner, staged, model);
    await this.precincts.upsertStaged(runner, electionId, staged, columns, evotingRule);
    return this.imports.insertStaged(runner, imp.id, electionId, staged, model, staged.column(columns.region)!);
  }

  /**
   * COPY into a staging table, refusing a file whose header lacks a template column; the staged
   * row count is then the import's progress and total.
   */
  private async stage(
    runner: QueryRunner,
    { imp, model, progress }: LoadInput,
    options: Pick<Parameters<typeof stageCsv>[2] & object, 'computed' | 'types'>,
  ): Promise<StagedCsv> {
    const columns = model.template.precinctColumns;
    const required = [columns.region, columns.district, columns.territory, columns.number]
      .concat(model.lines.map((l) => l.column))
      .filter((h): h is string => !!h);
    const source = await openCountingLines(join(this.config.storageDir, imp.filePath!), (lines) =>
      progress.rows(Math.max(0, lines - 1)),
    );
    let staged: StagedCsv;
    try {
      staged = await stageCsv(runner, source.stream, {
        ...options,
        maxBytes: MAX_OFFICIAL_FILE_BYTES,
        checkHeaders: (headers) => {
          const missing = required.filter((h) => !headers.includes(h));
          if (missing.length > 0) {
            throw new MissingHeaders([
              {
                row: 1,
                message: `missing header${missing.length > 1 ? 's' : ''}: ${missing.map((h) => `"${h}"`).join(', ')}`,
              },
            ]);
          }
        },
      });
    } catch (e) {
      if (e instanceof CsvFormatError) throw new ImportRefused([{ row: lineOf(e.message), message: e.message }]);
      const code = (e as NodeJS.ErrnoException).code;
      // A broken gzip stays broken: refuse it now instead of retrying the job.
      if (code?.startsWith('Z_'))
        throw new ImportRefused([{ row: 0, message: `the file is not valid gzip: ${(e as Error).message}` }]);
      if (code === 'ENOENT') {
        throw new ImportRefused([{ row: 0, message: 'the uploaded file is no longer in storage' }]);
      }
      throw e;
    } finally {
      source.close();
    }
    await this.imports.progress(imp.id, staged.rows, staged.rows);
    progress.reached(staged.rows);
    return staged;
  }

  /** Every row problem at once (up to 100, in file order): precinct keys, then cell values. */
  private async check(runner: QueryRunner, staged: StagedCsv, model: ProtocolTemplateModel): Promise<void> {
    if (staged.rows === 0) throw new ImportRefused([{ row: 1, message: 'the file has a header but no rows' }], 0);
    const keyProblems = await this.precincts.keyStagedRows(runner, staged, model.template.precinctColumns);
    const lineColumns = model.lines
      .filter((l) => l.column !== undefined)
      .map((l) => ({ n: l.n, column: staged.column(l.column!)! }));
    const badCells = await this.imports.badCells(runner, staged, lineColumns);
    const keyOf = new Map(model.lines.map((l) => [l.n, l.key]));
    const errors: RowError[] = [
      ...keyProblems.map((p) => ({ row: Number(p.row), message: p.message })),
      ...badCells.map((c) => ({ row: c.row, message: `line ${c.n} (${keyOf.get(c.n)}): ${cellProblem(c.value)}` })),
    ].sort((a, b) => a.row - b.row);
    if (errors.length > 0) throw new ImportRefused(errors.slice(0, MAX_ERRORS), staged.rows);
  }
}

function cellProblem(value: string | null): string {
  const v = (value ?? '').trim();
  if (v === '') return 'the cell is empty';
  if (/^-\d+$/.test(v)) return `"${v}" is negative`;
  if (/^\+?\d+$/.test(v)) return `"${v}" is too large`;
  return `"${v.slice(0, 40)}" is not a whole number`;
}

/** PostgreSQL names the file line of a CSV error ("COPY t, line 7"); 0 when it does not. */
function lineOf(message: string): number {
  const match = /line (\d+)/.exec(message);
  return match ? Number(match[1]) : 0;
}
