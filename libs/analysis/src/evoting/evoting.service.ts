import { Injectable } from '@nestjs/common';
import { AnalysisSourceService } from '../common/analysis-source.service';
import {
  EvotingDistrictDto,
  EvotingRegionDto,
  EvotingReportDto,
  LineRefDto,
  ModeSideDto,
  ObservedComparisonDto,
} from './evoting.dto';
import { EvotingGroupRow, EvotingRepository, EvotingSource, VotingMode } from './evoting.repository';
import { compareModes, emptySide } from './mode-comparison';

type Sides = Partial<Record<VotingMode, ModeSideDto>>;

interface Area {
  region: string;
  district: string | null;
  regionLevel: boolean;
  sources: Partial<Record<EvotingSource, Sides>>;
}

@Injectable()
export class EvotingService {
  constructor(
    private readonly source: AnalysisSourceService,
    private readonly evoting: EvotingRepository,
  ) {}

  /**
   * The e-voting reversal report. The database returns one total per area, mode and source
   * (at most a few thousand rows for a whole country); here they are only put into shape.
   */
  async report(slug: string, region?: string): Promise<EvotingReportDto> {
    const { election, version, sql } = await this.source.load(slug, region);
    const rows = await this.evoting.groupTotals(election.id, version.importId, sql, region);
    const candidates: LineRefDto[] = sql.candidates.map((c) => ({ n: c.n, key: c.key }));
    const areas = groupAreas(rows, new Map(candidates.map((c) => [c.n, c.key])));
    const districts: EvotingDistrictDto[] = [];
    const regions: EvotingRegionDto[] = [];
    for (const area of areas) {
      const official = comparison(area.sources.official, candidates);
      const observed = observedComparison(area, candidates);
      if (area.regionLevel) regions.push({ region: area.region, ...official, observed });
      else districts.push({ region: area.region, district: area.district, ...official, observed });
    }
    return { importId: version.importId, version: version.version, districts, regions };
  }
}

function groupAreas(rows: EvotingGroupRow[], keys: Map<number, string>): Area[] {
  const areas = new Map<string, Area>();
  for (const row of rows) {
    const id = JSON.stringify([row.region, row.regionLevel ? null : row.district, row.regionLevel]);
    let area = areas.get(id);
    if (!area) {
      area = { region: row.region, district: row.district, regionLevel: row.regionLevel, sources: {} };
      areas.set(id, area);
    }
    const sides = (area.sources[row.source] ??= {});
    sides[row.mode] = {
      precincts: row.units,
      valid: row.valid,
      lines: row.lines.map((l) => ({ n: l.n, key: keys.get(l.n)!, votes: l.votes, share: Number(l.share) })),
      leader: row.leader === null ? null : { n: row.leader, key: keys.get(row.leader)! },
    };
  }
  return [...areas.values()];
}

function comparison(sides: Sides | undefined, candidates: LineRefDto[]) {
  const side = (mode: VotingMode) => sides?.[mode] ?? emptySide(candidates);
  return compareModes(side('paper'), side('evoting'), side('combined'));
}

function observedComparison(area: Area, candidates: LineRefDto[]): ObservedComparisonDto | null {
  if (!area.sources.observed) return null;
  return {
    ...comparison(area.sources.observed, candidates),
    official: comparison(area.sources.official_observed, candidates),
  };
}
