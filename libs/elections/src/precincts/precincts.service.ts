import { CsvFormatError, ElectionEntity, PrecinctEntity, stageCsv } from '@app/database';
import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { PrecinctDto, PrecinctImportResultDto, PrecinctPageDto, PrecinctQueryDto } from './precincts.dto';
import { PrecinctsRepository } from './precincts.repository';

/** Largest precinct file accepted, decompressed (the national file is 34 MB). */
const MAX_PRECINCT_FILE_BYTES = 1024 ** 3;

@Injectable()
export class PrecinctsService {
  constructor(
    private readonly precincts: PrecinctsRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * Loads a precinct CSV (plain or gzip) in one transaction: PostgreSQL parses it into a staging
   * table, the header and every row are checked, then one statement upserts all precincts.
   * Any problem → 400 and nothing changes.
   */
  async importCsv(election: ElectionEntity, file: Readable): Promise<PrecinctImportResultDto> {
    const columns = election.template.precinctColumns;
    const required = [columns.region, columns.number];
    try {
      return await this.dataSource.transaction(async (manager) => {
        const runner = manager.queryRunner!;
        const staged = await stageCsv(runner, file, {
          maxBytes: MAX_PRECINCT_FILE_BYTES,
          computed: PrecinctsRepository.stagedKeys(columns),
          checkHeaders: (headers) => {
            const missing = required.filter((h) => !headers.includes(h));
            if (missing.length > 0) {
              throw new CsvFormatError(
                `missing header${missing.length > 1 ? 's' : ''}: ${missing.map((h) => `"${h}"`).join(', ')}`,
              );
            }
          },
        });
        if (staged.rows === 0) throw new CsvFormatError('the file has a header but no rows');
        const problems = await this.precincts.keyStagedRows(runner, staged, columns);
        if (problems.length > 0) {
          throw new CsvFormatError(problems.map((p) => `row ${p.row}: ${p.message}`).join('; '));
        }
        const { inserted, updated } = await this.precincts.upsertStaged(
          runner,
          election.id,
          staged,
          columns,
          election.template.evotingRule,
        );
        return { total: staged.rows, inserted, updated, unchanged: staged.rows - inserted - updated };
      });
    } catch (e) {
      if (e instanceof CsvFormatError) throw new BadRequestException(`The precinct file was refused: ${e.message}`);
      throw e;
    }
  }

  async search(election: ElectionEntity, q: PrecinctQueryDto): Promise<PrecinctPageDto> {
    const { items, total } = await this.precincts.search(election.id, q, q.page ?? 1, q.pageSize ?? 50);
    return { items: items.map(toPrecinctDto), total };
  }

  async get(election: ElectionEntity, id: number): Promise<PrecinctEntity> {
    const precinct = await this.precincts.findOne(election.id, { id });
    if (!precinct) throw new NotFoundException(`No precinct ${id} in ${election.slug}`);
    return precinct;
  }

  /** Finds a precinct by id or by (region, number); null when there is none. */
  find(
    election: ElectionEntity,
    key: { id?: number; region?: string; number?: string },
  ): Promise<PrecinctEntity | null> {
    return this.precincts.findOne(
      election.id,
      key.id !== undefined ? { id: key.id } : { region: key.region, number: key.number },
    );
  }

  async setEvoting(election: ElectionEntity, id: number, evoting: boolean): Promise<PrecinctDto> {
    const precinct = await this.get(election, id);
    await this.precincts.setEvoting(id, evoting);
    return toPrecinctDto({ ...precinct, evoting });
  }

  regions(election: ElectionEntity): Promise<Array<{ region: string; precincts: number }>> {
    return this.precincts.regions(election.id);
  }
}

export function toPrecinctDto(p: PrecinctEntity): PrecinctDto {
  return {
    id: p.id,
    region: p.region,
    district: p.district,
    territory: p.territory,
    number: p.number,
    evoting: p.evoting,
  };
}
