import { ProtocolTemplateModel } from '@app/domain';
import { ElectionsService } from '@app/elections';
import { Injectable } from '@nestjs/common';
import { PUBLIC_STATUSES } from '../matches/matches.repository';
import { DiscrepanciesRepository, MatchFilter, StoredMatch } from './discrepancies.repository';
import {
  DiscrepancyDto,
  DiscrepancyLineDto,
  DiscrepancyListDto,
  DiscrepancyQueryDto,
  SummaryDto,
} from './discrepancies.dto';

const DEFAULT_PAGE_SIZE = 50;
/** Rows per query while the CSV export walks the whole list. */
const EXPORT_BATCH = 2000;

/** The public discrepancy list and summary, read from the stored match results. */
@Injectable()
export class DiscrepanciesService {
  constructor(
    private readonly discrepancies: DiscrepanciesRepository,
    private readonly elections: ElectionsService,
  ) {}

  async list(slug: string, q: DiscrepancyQueryDto): Promise<DiscrepancyListDto> {
    const { filter, model } = await this.filterOf(slug, q);
    const pageSize = q.pageSize ?? DEFAULT_PAGE_SIZE;
    const [rows, total] = await Promise.all([
      this.discrepancies.page(filter, ((q.page ?? 1) - 1) * pageSize, pageSize),
      this.discrepancies.count(filter),
    ]);
    return { items: await this.toItems(rows, model), total };
  }

  /**
   * Every item of the list (or of one page when `page`/`pageSize` are given), in list order,
   * handed over in batches so that a national export never sits in memory at once.
   */
  async *exportItems(slug: string, q: DiscrepancyQueryDto): AsyncGenerator<DiscrepancyDto[]> {
    const { filter, model } = await this.filterOf(slug, q);
    if (q.page !== undefined || q.pageSize !== undefined) {
      const pageSize = q.pageSize ?? DEFAULT_PAGE_SIZE;
      yield this.toItems(await this.discrepancies.page(filter, ((q.page ?? 1) - 1) * pageSize, pageSize), model);
      return;
    }
    for (let offset = 0; ; offset += EXPORT_BATCH) {
      const rows = await this.discrepancies.page(filter, offset, EXPORT_BATCH);
      if (rows.length > 0) yield this.toItems(rows, model);
      if (rows.length < EXPORT_BATCH) return;
    }
  }

  async summary(slug: string): Promise<SummaryDto> {
    const election = await this.elections.getEntity(slug);
    const model = this.elections.templateOf(election);
    const [stored, official] = await Promise.all([
      this.discrepancies.summary(election.id, model),
      this.discrepancies.officialTotals(election.id, model),
    ]);
    return {
      counts: stored.counts,
      lines: model.lines.map((line, i) => ({ n: line.n, key: line.key, delta: stored.deltas[i] })),
      coverage: {
        observedPrecincts: stored.observedPrecincts,
        observedVoters: stored.observedVoters,
        officialPrecincts: official.precincts,
        officialVoters: official.voters,
      },
      officialVersion: official.version,
    };
  }

  private async filterOf(
    slug: string,
    q: DiscrepancyQueryDto,
  ): Promise<{ filter: MatchFilter; model: ProtocolTemplateModel }> {
    const election = await this.elections.getEntity(slug);
    const statuses = q.status?.length ? [...new Set(q.status)] : [...PUBLIC_STATUSES];
    return {
      filter: { electionId: election.id, statuses, region: q.region, district: q.district },
      model: this.elections.templateOf(election),
    };
  }

  /** Links to the public derivatives of these reports' processed photos, in report order. */
  async photoLinks(reportIds: string[]): Promise<DiscrepancyDto['photos']> {
    const photos = await this.discrepancies.photosOf(reportIds);
    return photos.map((p) => {
      const url = `/api/photos/${p.id}`;
      return { id: p.id, reportId: p.reportId, url, thumbUrl: `${url}?size=thumb` };
    });
  }

  private async toItems(rows: StoredMatch[], model: ProtocolTemplateModel): Promise<DiscrepancyDto[]> {
    const photosOf = new Map<string, DiscrepancyDto['photos']>();
    for (const p of await this.photoLinks(rows.flatMap((r) => r.reportIds))) {
      photosOf.set(p.reportId, [...(photosOf.get(p.reportId) ?? []), p]);
    }
    return rows.map((r) => ({
      precinct: { id: r.precinctId, region: r.region, district: r.district, number: r.number },
      status: r.status,
      reportIds: r.reportIds,
      lines: differingLines(r, model),
      effect: r.effect,
      photos: r.reportIds.flatMap((id) => photosOf.get(id) ?? []),
    }));
  }
}

/**
 * The lines that differ: observed vs official; for official_changed also the lines whose official
 * value changed between versions; for conflicting reports the lines on which they disagree.
 */
export function differingLines(r: StoredMatch, model: ProtocolTemplateModel): DiscrepancyLineDto[] {
  const lines: DiscrepancyLineDto[] = [];
  model.lines.forEach((line, i) => {
    const official = r.official?.[i] ?? null;
    if (r.status === 'conflicting_reports') {
      const reports = (r.byReport ?? []).map((values) => values[i]);
      if (new Set(reports).size > 1)
        lines.push({ n: line.n, key: line.key, observed: null, official, delta: null, reports });
      return;
    }
    const observed = r.observed?.[i] ?? null;
    const delta = official !== null && observed !== null ? official - observed : null;
    const previous = r.previous?.[i] ?? null;
    const changed = r.status === 'official_changed' && previous !== official;
    if (r.official === null || (delta === 0 && !changed)) return;
    lines.push({
      n: line.n,
      key: line.key,
      observed,
      official,
      delta,
      ...(r.status === 'official_changed' ? { previousOfficial: previous } : {}),
    });
  });
  return lines;
}
