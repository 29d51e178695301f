import { ProtocolTemplateModel } from '@app/domain';
import { ElectionsService } from '@app/elections';
import { Injectable, NotFoundException } from '@nestjs/common';
import { PUBLIC_STATUSES } from '../matches/matches.repository';
import { DiscrepanciesRepository, StoredMatch } from './discrepancies.repository';
import { DiscrepanciesService } from './discrepancies.service';
import { PrecinctDiscrepancyDto, PrecinctDiscrepancyLineDto } from './precinct-discrepancy.dto';

const isPublic = (status: string) => (PUBLIC_STATUSES as readonly string[]).includes(status);

/** One precinct's public page: every protocol line, official against observed, and the photos. */
@Injectable()
export class PrecinctDiscrepancyService {
  constructor(
    private readonly matches: DiscrepanciesRepository,
    private readonly discrepancies: DiscrepanciesService,
    private readonly elections: ElectionsService,
  ) {}

  async get(slug: string, precinctId: string): Promise<PrecinctDiscrepancyDto> {
    const election = await this.elections.getEntity(slug);
    const id = /^\d{1,9}$/.test(precinctId) ? Number(precinctId) : undefined;
    const row = id === undefined ? undefined : await this.matches.one(election.id, id);
    if (!row) throw new NotFoundException('no reviewed report for this precinct');
    return {
      precinct: {
        id: row.precinctId,
        region: row.region,
        district: row.district,
        territory: row.territory,
        number: row.number,
      },
      status: row.status,
      reportIds: row.reportIds,
      lines: everyLine(row, this.elections.templateOf(election)),
      effect: row.effect,
      // Photos of matching or not yet published precincts stay with their observer and moderators.
      photos: isPublic(row.status) ? await this.discrepancies.photoLinks(row.reportIds) : [],
    };
  }
}

/** Every template line; `observed` is null where two reviewed reports disagree on it. */
function everyLine(r: StoredMatch, model: ProtocolTemplateModel): PrecinctDiscrepancyLineDto[] {
  return model.lines.map((line, i) => {
    const official = r.official?.[i] ?? null;
    const reports = r.status === 'conflicting_reports' ? (r.byReport ?? []).map((v) => v[i]) : undefined;
    const agreed = reports === undefined || new Set(reports).size === 1;
    const observed = reports ? (agreed ? (reports[0] ?? null) : null) : (r.observed?.[i] ?? null);
    return {
      n: line.n,
      key: line.key,
      label: line.label,
      observed,
      official,
      delta: official !== null && observed !== null ? official - observed : null,
      ...(r.status === 'official_changed' ? { previousOfficial: r.previous?.[i] ?? null } : {}),
      ...(reports ? { reports } : {}),
    };
  });
}
