import { AuthUser } from '@app/accounts';
import { APP_CONFIG, AppConfig } from '@app/config';
import { ElectionEntity, OfficialImportEntity } from '@app/database';
import { ElectionsService } from '@app/elections';
import { job, JobName, OutboxRelay, OutboxService } from '@app/queue';
import { syncDir, syncFile } from '@app/storage';
import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataSource } from 'typeorm';
import { ChangesQueryDto, ImportAcceptedDto, ImportChangesDto, ImportStatusDto } from './official-imports.dto';
import { OfficialImportsRepository } from './official-imports.repository';

/** The folder of uploaded official-results files, relative to STORAGE_DIR (shared by api and worker). */
export const IMPORTS_FOLDER = 'imports';
/** Where an import's uploaded file lives, relative to STORAGE_DIR. */
export const importFilePath = (importId: string) => join(IMPORTS_FOLDER, importId);

/** Accepting official-results files, and what coordinators read about imports. */
@Injectable()
export class OfficialImportsService {
  constructor(
    private readonly imports: OfficialImportsRepository,
    private readonly elections: ElectionsService,
    private readonly outbox: OutboxService,
    private readonly relay: OutboxRelay,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Streams the upload to storage, then records the import and its job in one transaction, so
   * that a job exists exactly when its file and row do. The worker checks and loads the file.
   */
  async accept(election: ElectionEntity, user: AuthUser, file: Readable, fileName: string): Promise<ImportAcceptedDto> {
    const importId = randomUUID();
    const relative = importFilePath(importId);
    const path = join(this.config.storageDir, relative);
    await mkdir(dirname(path), { recursive: true });
    const partial = `${path}.part`;
    try {
      await pipeline(file, createWriteStream(partial));
      if ((await stat(partial)).size === 0) throw new BadRequestException('The file is empty');
      // On disk, name and all, before the import exists: an accepted file survives a power cut.
      await syncFile(partial);
      await rename(partial, path);
      await syncDir(dirname(path));
      await this.dataSource.transaction(async (manager) => {
        await this.imports.create(manager, {
          id: importId,
          electionId: election.id,
          status: 'queued',
          fileName: cleanFileName(fileName),
          filePath: relative,
          createdBy: user.id,
        });
        await this.outbox.add(manager, job(JobName.ImportOfficialResults, `import-${importId}`, { importId }));
      });
    } catch (e) {
      await rm(partial, { force: true });
      await rm(path, { force: true });
      throw e;
    }
    this.relay.kick();
    return { importId };
  }

  async status(id: string): Promise<ImportStatusDto> {
    const imp = await this.get(id);
    const dto = toImportStatusDto(imp);
    if (imp.status === 'done') dto.flaggedRows = await this.imports.flaggedRows(imp.id);
    return dto;
  }

  async list(election: ElectionEntity): Promise<{ items: ImportStatusDto[] }> {
    return { items: (await this.imports.listForElection(election.id, 200)).map(toImportStatusDto) };
  }

  /** Precincts whose official numbers differ between this import and the version before it. */
  async changes(id: string, q: ChangesQueryDto): Promise<ImportChangesDto> {
    const imp = await this.get(id);
    const previous = await this.imports.previousOf(imp);
    const base = {
      importId: imp.id,
      version: imp.version,
      previousImportId: previous?.id ?? null,
      previousVersion: previous?.version ?? null,
    };
    if (!previous) return { ...base, items: [], total: 0 };
    const model = this.elections.templateOf(await this.elections.getEntityById(imp.electionId));
    const pageSize = q.pageSize ?? 100;
    const { items, total } = await this.imports.changes(imp.id, previous.id, ((q.page ?? 1) - 1) * pageSize, pageSize);
    return {
      ...base,
      total,
      items: items.map((c) => ({
        precinct: { id: c.id, region: c.region, district: c.district, number: c.number },
        lines: model.lines
          .map((line, i) => ({
            n: line.n,
            key: line.key,
            previous: c.previous[i] ?? null,
            current: c.current[i] ?? null,
          }))
          .filter((l) => l.previous !== l.current),
        previous: model.fromArray(c.previous),
        current: model.fromArray(c.current),
      })),
    };
  }

  private async get(id: string): Promise<OfficialImportEntity> {
    const imp = isUuid(id) ? await this.imports.findById(id) : null;
    if (!imp) throw new NotFoundException(`No import ${id}`);
    return imp;
  }
}

export function toImportStatusDto(i: OfficialImportEntity): ImportStatusDto {
  return {
    id: i.id,
    status: i.status,
    rowsTotal: i.rowsTotal,
    rowsDone: i.rowsDone,
    errors: i.errors,
    createdAt: i.createdAt,
    fileName: i.fileName,
    version: i.version,
  };
}

export const isUuid = (s: unknown): s is string =>
  typeof s === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

/** The file's own name only, without control characters, for display. */
function cleanFileName(name: string): string | null {
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return base ? base.slice(0, 255) : null;
}
