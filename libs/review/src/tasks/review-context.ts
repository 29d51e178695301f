import { ProtocolTemplateModel } from '@app/domain';
import { ElectionsService } from '@app/elections';
import { Injectable } from '@nestjs/common';
import { differingLines } from './review-outcome';
import { TranscriptionRow } from './review-task';
import { PhotoRefDto, TranscriptionsDto } from './review.dto';
import { PhotoRow } from './review-tasks.repository';

/** What a moderator sees of a report: its photos, its template and, to arbiters, the transcriptions. */
@Injectable()
export class ReviewContext {
  private readonly models = new Map<string, ProtocolTemplateModel>();

  constructor(private readonly elections: ElectionsService) {}

  /** Templates never change once an election exists: read and parse each once per process. */
  async templateOf(electionId: string): Promise<ProtocolTemplateModel> {
    let model = this.models.get(electionId);
    if (!model) {
      model = this.elections.templateOf(await this.elections.getEntityById(electionId));
      this.models.set(electionId, model);
    }
    return model;
  }

  photos(rows: PhotoRow[]): PhotoRefDto[] {
    return rows.map((p) => ({ id: p.id, url: `/api/photos/${p.id}`, width: p.width, height: p.height }));
  }

  transcriptions(model: ProtocolTemplateModel, rows: TranscriptionRow[]): TranscriptionsDto {
    const lineNumbers = model.lines.map((l) => l.n);
    return {
      transcriptions: rows.map((r) => ({
        moderatorId: r.moderatorId,
        values: r.values ? model.fromArray(r.values) : {},
        ...(r.rejectReason
          ? { reject: { reason: r.rejectReason, ...(r.rejectText ? { text: r.rejectText } : {}) } }
          : {}),
      })),
      differingLines: differingLines(
        lineNumbers,
        rows.map((r) => ({ values: r.values, rejected: r.rejectReason !== null })),
      ),
    };
  }
}
