import { APP_CONFIG, AppConfig } from '@app/config';
import { CsvFormatError, OfficialImportEntity, RowError, stageCsv, StagedCsv } from '@app/database';
import { ProtocolTemplateModel } from '@app/domain';
import { ElectionsService, PrecinctsRepository } from '@app/elections';
import { job, JobName, OnJob, OutboxRelay, OutboxService, QueueName, Reconcile, requeueIfLost } from '@app/queue';
import { getQueueToken } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { Job, Queue, UnrecoverableError } from 'bullmq';
import { join } from 'node:path';
import { DataSource, QueryRunner } from 'typeorm';
import { BLOCK_BYTES, CsvParts, fileRowSql, openCsvParts, partCount } from './csv-parts';
import { ProgressWriter } from './import-progress';
import { OfficialImportsRepository } from './official-imports.repository';
import { isUuid } from './official-imports.service';

/** Largest official-results file accepted, decompressed. */
export const MAX_OFFICIAL_FILE_BYTES = 1024 ** 3;
const MAX_ERRORS = 100;
/** How long a part of a parallel load waits for a row lock before the checked path takes over. */
const PART_LOCK_TIMEOUT = '1s';
/**
 * An import queued or running this long without its job in the queue was lost by Redis (or its
 * worker died after the job's last attempt): the reconciler enqueues it again. An import that
 * is merely slow keeps its job, which the reconciler leaves alone.
 */
const LOST_AFTER_SECONDS = 120;

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

/** What a run did; `parts` is how many connections loaded the file (0: the checked path). */
export type ImportOutcome =
  | { status: 'done'; version: number; rows: number; parts: number }
  | { status: 'failed'; errors: number }
  | { skipped: string };

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
    private readonly moduleRef: ModuleRef,
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
      if ('status' in outcome) {
        const how = outcome.parts > 0 ? `in ${outcome.parts} part(s)` : 'checked row by row';
        this.logger.log(`import ${importId}: version ${outcome.version}, ${outcome.rows} rows, ${how}`);
      }
      return outcome;
    } catch (e) {
      await progress.stop();
      if (!(e instanceof ImportRefused)) throw e;
      await this.imports.fail(importId, e.errors.slice(0, MAX_ERRORS), e.rowsTotal);
      this.logger.log(`import ${importId} refused: ${e.errors.length} error(s)`);
      return { status: 'failed', errors: e.errors.length };
    }
  }

  /** Enqueues again the imports whose job the queue no longer has; jobs still waiting or running are left alone. */
  @Reconcile('imports')
  async reconcile(): Promise<{ requeued: number }> {
    const queue = this.moduleRef.get<Queue>(getQueueToken(QueueName.OfficialResults), { strict: false });
    let requeued = 0;
    for (const importId of await this.imports.unfinished(LOST_AFTER_SECONDS)) {
      const request = job(JobName.ImportOfficialResults, `import-${importId}`, { importId });
      if (await requeueIfLost(queue, request)) requeued++;
    }
    if (requeued > 0) this.logger.log(`imports: ${requeued} lost import(s) enqueued again`);
    return { requeued };
  }

  private async load(
    imp: OfficialImportEntity,
    progress: ProgressWriter,
  ): Promise<{ status: 'done'; version: number; rows: number; parts: number } | { skipped: string }> {
    const election = await this.elections.getEntityById(imp.electionId);
    const model = this.elections.templateOf(election);
    // Rows that parts of an interrupted earlier run committed go first, in a transaction of
    // their own: deleted in the load's own, they would hold up the parts writing them again.
    await this.dataSource.transaction(async (manager) => {
      await this.imports.lockElection(manager, election.id);
      if ((await this.imports.statusOf(manager, imp.id)) === 'running') await this.imports.dropRows(manager, imp.id);
    });
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
      const typed = await this.loadTyped(runner, input);
      const { rows, parts } = typed ?? { rows: await this.loadChecked(runner, input), parts: 0 };
      const version = await this.imports.nextVersion(manager, election.id);
      await progress.stop();
      await this.imports.finish(manager, imp.id, version, rows);
      await this.outbox.add(
        manager,
        job(JobName.MatchElection, `match-election-${imp.id}`, { electionId: election.id, importId: imp.id }),
      );
      return { status: 'done' as const, version, rows, parts };
    });
  }

  /**
   * The fast path, for a file without a bad row: COPY with every line column typed
   * `int NOT NULL` (PostgreSQL converts while it parses), then one statement for the precincts
   * and all official rows. A large file is dealt out in blocks to parts that load at once, each
   * on its own connection (`CsvParts`). Null when the file needs the checked path (any cell COPY
   * refuses, any row a statement could not take): everything since the savepoint is undone,
   * and no part commits.
   */
  private async loadTyped(runner: QueryRunner, input: LoadInput): Promise<{ rows: number; parts: number } | null> {
    const { imp, model } = input;
    const types = Object.fromEntries(
      model.lines.flatMap((l) => (l.column === undefined ? [] : [[l.column, 'int NOT NULL']])),
    );
    const count = await partCount(this.filePath(imp), this.config.importParallelism, this.config.importPartMinBytes);
    await runner.query(`SAVEPOINT typed_import`);
    const helpers: QueryRunner[] = [];
    let parts: CsvParts | undefined;
    try {
      if (count > 1) {
        // A repeated precinct in two parts makes one part wait for the other's transaction,
        // which ends only after both: the wait is cut short and the checked path names the rows.
        await runner.query(`SET LOCAL lock_timeout = '${PART_LOCK_TIMEOUT}'`);
        for (let i = 1; i < count; i++) helpers.push(await this.openPart(input.electionId));
      }
      const file = await this.openFile(input, count, (records) => input.progress.rows(records));
      parts = file;
      const outcomes = await Promise.allSettled(
        [runner, ...helpers].map((r, index) => this.loadPart(r, input, types, file, index)),
      );
      const missing = outcomes.find((o) => o.status === 'rejected' && o.reason instanceof MissingHeaders);
      if (missing) throw (missing as PromiseRejectedResult).reason;
      const loaded = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
      const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      const rows = loaded.reduce((n, p) => n + p.rows, 0);
      if (!failed && rows > 0 && loaded.every((p) => p.written === p.rows)) {
        // The parts' rows belong to an import that is not done yet, which no reader looks at;
        // should this transaction fail after they commit, the import runs again from scratch.
        for (const helper of helpers) await helper.commitTransaction();
        await runner.query(`RELEASE SAVEPOINT typed_import`);
        await this.reportStaged(input, rows);
        return { rows, parts: count };
      }
      if (failed) this.logger.debug(`import ${imp.id}: checked path (${(failed.reason as Error).message})`);
    } catch (e) {
      if (e instanceof MissingHeaders) throw e;
      this.logger.debug(`import ${imp.id}: checked path (${(e as Error).message})`);
    } finally {
      parts?.close();
      for (const helper of helpers) {
        if (helper.isTransactionActive) await helper.rollbackTransaction().catch(() => undefined);
        await helper.release();
      }
    }
    await runner.query(`ROLLBACK TO SAVEPOINT typed_import`);
    return null;
  }

  /** A connection for a further part: its own transaction, tuned and locked like the import's. */
  private async openPart(electionId: string): Promise<QueryRunner> {
    const helper = this.dataSource.createQueryRunner();
    try {
      await helper.connect();
      await helper.startTransaction();
      await this.imports.tuneForBulk(helper.manager);
      await helper.query(`SET LOCAL lock_timeout = '${PART_LOCK_TIMEOUT}'`);
      // Its commit need not wait for the disk: the import's own commit comes later in the WAL
      // and waits for all of it; a crash before that leaves the import to be run again anyway.
      await helper.query(`SET LOCAL synchronous_commit = off`);
      await this.precincts.lockElection(helper, electionId);
      return helper;
    } catch (e) {
      await helper.release();
      throw e;
    }
  }

  /**
   * One part of the fast path on `runner`: its records staged, keyed and written. A part of
   * several numbers its staged rows from 1 and finds their file lines from its blocks' places.
   */
  private async loadPart(
    runner: QueryRunner,
    input: LoadInput,
    types: Record<string, string>,
    file: CsvParts,
    index: number,
  ): Promise<{ rows: number; written: number }> {
    const { imp, model, electionId, evotingRule } = input;
    const several = file.parts.length > 1;
    const staged = await this.stage(runner, input, { types, firstRow: several ? 1 : 2 }, file, index);
    if (staged.rows === 0) return { rows: 0, written: 0 };
    if (several) staged.rowNumber = fileRowSql(file.places[index], 's.row_no');
    await this.precincts.lockElection(runner, electionId);
    const newId = await this.precincts.newIdSql(runner);
    const { written } = await this.imports.insertTyped(
      runner,
      imp.id,
      electionId,
      staged,
      model,
      model.template.precinctColumns,
      evotingRule,
      newId,
    );
    return { rows: staged.rows, written };
  }

  /**
   * The checked path: COPY as text, every row problem listed (the import refused), then the
   * precinct upsert and the insert of every official row.
   */
  private async loadChecked(runner: QueryRunner, input: LoadInput): Promise<number> {
    const { imp, model, electionId, evotingRule } = input;
    const columns = model.template.precinctColumns;
    const file = await this.openFile(input, 1, (records) => input.progress.rows(records));
    let staged: StagedCsv;
    try {
      staged = await this.stage(runner, input, { computed: PrecinctsRepository.stagedKeys(columns) }, file, 0);
    } finally {
      file.close();
    }
    await this.reportStaged(input, staged.rows);
    await this.check(runner, staged, model);
    await this.precincts.upsertStaged(runner, electionId, staged, columns, evotingRule);
    return this.imports.insertStaged(runner, imp.id, electionId, staged, model, staged.column(columns.region)!);
  }

  /** The staged row count becomes the import's progress and total. */
  private async reportStaged({ imp, progress }: LoadInput, rows: number): Promise<void> {
    await this.imports.progress(imp.id, rows, rows);
    progress.reached(rows);
  }

  /** The uploaded file, dealt out to `count` parts; a file gone from storage refuses the import. */
  private async openFile(
    { imp, model }: LoadInput,
    count: number,
    onRecords: (records: number) => void,
  ): Promise<CsvParts> {
    const read = new Set([...requiredHeaders(model), model.template.precinctColumns.evoting ?? 'evoting']);
    // The columns after the last one the import reads are left out before COPY.
    const unread = (headers: string[]) => {
      const last = headers.findLastIndex((h) => read.has(h));
      return last < 0 ? 0 : headers.length - 1 - last;
    };
    try {
      // Blocks small enough that every part gets several (1 MiB at the default 8 MiB a part).
      const block = Math.min(BLOCK_BYTES, Math.max(64 * 1024, Math.floor(this.config.importPartMinBytes / 8)));
      return await openCsvParts(this.filePath(imp), count, MAX_OFFICIAL_FILE_BYTES, onRecords, block, unread);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new ImportRefused([{ row: 0, message: 'the uploaded file is no longer in storage' }]);
      }
      throw e;
    }
  }

  /**
   * COPY of part `index` of the file into a staging table, refusing a file whose header lacks a
   * template column, or whose rows COPY does not all take.
   */
  private async stage(
    runner: QueryRunner,
    { model }: LoadInput,
    options: Pick<Parameters<typeof stageCsv>[2] & object, 'computed' | 'types' | 'firstRow'>,
    file: CsvParts,
    index: number,
  ): Promise<StagedCsv> {
    const required = requiredHeaders(model);
    let staged: StagedCsv;
    try {
      staged = await stageCsv(runner, file.parts[index], {
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
      await file.done;
    } catch (e) {
      // The other parts cannot succeed now; what went wrong with reading the file itself (a
      // broken gzip, a file too large) is told by the reader, not by the COPY it broke off.
      file.close();
      const cause = file.readError ?? e;
      if (cause instanceof ImportRefused) throw cause;
      if (cause instanceof CsvFormatError) {
        throw new ImportRefused([{ row: lineOf(cause.message), message: cause.message }]);
      }
      const code = (cause as NodeJS.ErrnoException).code;
      // A broken gzip stays broken: refuse it now instead of retrying the job.
      if (code?.startsWith('Z_'))
        throw new ImportRefused([{ row: 0, message: `the file is not valid gzip: ${(cause as Error).message}` }]);
      throw cause;
    }
    if (staged.rows !== file.records[index]) {
      // COPY stops at a line holding only "\." (its end-of-data mark, even in CSV on PostgreSQL 15).
      const row = staged.rows + (options.firstRow ?? 2);
      throw new ImportRefused([{ row, message: 'a line holding only "\\." ends the data before the file does' }]);
    }
    return staged;
  }

  private filePath(imp: OfficialImportEntity): string {
    return join(this.config.storageDir, imp.filePath!);
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

/** The headers a file must have: the template's precinct columns and every line's column. */
function requiredHeaders(model: ProtocolTemplateModel): string[] {
  const columns = model.template.precinctColumns;
  return [columns.region, columns.district, columns.territory, columns.number]
    .concat(model.lines.map((l) => l.column))
    .filter((h): h is string => !!h);
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
