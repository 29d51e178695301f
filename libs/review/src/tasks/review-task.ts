import { RejectReason, ReportStatus } from '@app/domain';

export type ReviewKind = 'transcribe' | 'arbitrate';
export const REVIEW_KINDS: readonly ReviewKind[] = ['transcribe', 'arbitrate'];

export type TaskState = 'claimed' | 'submitted' | 'released' | 'expired';

/** Report states in which a job of each kind still has work to do. */
export const OPEN_STATUSES: Readonly<Record<ReviewKind, readonly ReportStatus[]>> = {
  transcribe: ['awaiting_review', 'in_review'],
  arbitrate: ['needs_arbitration'],
};

export interface ReviewTaskRow {
  id: string;
  reportId: string;
  kind: ReviewKind;
  round: number;
  jobId: string;
  lockToken: string;
  moderatorId: string;
  state: TaskState;
  claimedAt: Date;
  lockExpiresAt: Date;
  /** Computed by PostgreSQL when read: whether the lock has run out. */
  lapsed: boolean;
}

export interface TranscriptionRow {
  taskId: string;
  moderatorId: string;
  values: number[] | null;
  rejectReason: RejectReason | null;
  rejectText: string | null;
}

export interface LockedReport {
  id: string;
  electionId: string;
  precinctId: number;
  status: ReportStatus;
}

/** The deterministic job id of a review task, the same one the outbox uses. */
export function reviewJobId(kind: ReviewKind, reportId: string, round: number): string {
  return `${kind}:${reportId}:${round}`;
}
