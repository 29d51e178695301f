import { ReportStatus } from '@app/domain';

export interface Entered {
  values: readonly number[] | null;
  rejected: boolean;
}

export type TranscriptionOutcome =
  | { status: Extract<ReportStatus, 'in_review' | 'needs_arbitration' | 'rejected'> }
  | { status: 'reviewed'; finalValues: number[] };

/**
 * What the transcriptions given so far make of a report. Two rejects reject it (one, when only
 * one transcription is required); all required transcriptions equal make it reviewed; any
 * other complete set goes to arbitration.
 */
export function transcriptionOutcome(entered: readonly Entered[], required: number): TranscriptionOutcome {
  const rejects = entered.filter((e) => e.rejected).length;
  if (rejects >= Math.min(2, required)) return { status: 'rejected' };
  if (entered.length < required) return { status: 'in_review' };
  const [first, ...rest] = entered;
  if (rejects === 0 && rest.every((e) => sameValues(e.values, first.values))) {
    return { status: 'reviewed', finalValues: [...first.values!] };
  }
  return { status: 'needs_arbitration' };
}

/** Line numbers on which the transcriptions differ; a reject differs on every line. */
export function differingLines(lineNumbers: readonly number[], entered: readonly Entered[]): number[] {
  if (entered.some((e) => e.values === null)) return [...lineNumbers];
  return lineNumbers.filter((_, i) => entered.some((e) => e.values![i] !== entered[0].values![i]));
}

function sameValues(a: readonly number[] | null, b: readonly number[] | null): boolean {
  return !!a && !!b && a.length === b.length && a.every((v, i) => v === b[i]);
}
