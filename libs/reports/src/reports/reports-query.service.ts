import { AuthUser } from '@app/accounts';
import { roleAtLeast } from '@app/domain';
import { Injectable, NotFoundException } from '@nestjs/common';
import { PhotoRow, PhotosRepository, PhotoSimilarity } from '../photos/photos.repository';
import { ReportDto, ReportPhotoDto } from './reports.dto';
import { ReportRow, ReportsRepository } from './reports.repository';

const MINE_LIMIT = 500;

/** Reading reports: observers see their own, moderators and up see any. */
@Injectable()
export class ReportsQueryService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly photos: PhotosRepository,
  ) {}

  async get(id: string, user: AuthUser): Promise<ReportDto> {
    const row = await this.reports.view(id);
    // Someone else's report is answered like a missing one: its existence is not disclosed.
    if (!row || (!roleAtLeast(user.role, 'moderator') && row.observerId !== user.id)) {
      throw new NotFoundException(`No report ${id}`);
    }
    return (await this.toDtos([row], user))[0];
  }

  async mine(user: AuthUser): Promise<ReportDto[]> {
    return this.toDtos(await this.reports.viewsOfObserver(user.id, MINE_LIMIT), user);
  }

  private async toDtos(rows: ReportRow[], user: AuthUser): Promise<ReportDto[]> {
    const photos = await this.photos.allOf(rows.map((r) => r.id));
    const showSimilar = roleAtLeast(user.role, 'moderator');
    const similar = showSimilar ? await this.photos.similaritiesOf(photos.map((p) => p.id)) : [];
    const byReport = new Map<string, ReportPhotoDto[]>();
    for (const photo of photos) {
      const list = byReport.get(photo.reportId) ?? [];
      list.push(toPhotoDto(photo, showSimilar ? similar.filter((s) => s.photoId === photo.id) : undefined));
      byReport.set(photo.reportId, list);
    }
    return rows.map((r) => ({
      id: r.id,
      status: r.status,
      precinct: r.precinct,
      photos: byReport.get(r.id) ?? [],
      values: r.observerValues,
      comment: r.comment,
      createdAt: r.createdAt,
      clientReportId: r.clientReportId,
      electionSlug: r.electionSlug,
    }));
  }
}

function toPhotoDto(p: PhotoRow, similar: PhotoSimilarity[] | undefined): ReportPhotoDto {
  return {
    id: p.id,
    url: p.url,
    width: p.width,
    height: p.height,
    sha256: p.sha256,
    status: p.status,
    ...(p.error ? { error: p.error } : {}),
    ...(similar
      ? {
          similar: similar.map((s) => ({
            photoId: s.similarPhotoId,
            reportId: s.similarReportId,
            kind: s.kind,
            distance: s.distance,
          })),
        }
      : {}),
  };
}
