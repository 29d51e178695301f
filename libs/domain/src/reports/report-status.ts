export const REPORT_STATUSES = [
  'received',
  'processing',
  'awaiting_review',
  'in_review',
  'needs_arbitration',
  'reviewed',
  'rejected',
] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const MATCH_STATUSES = ['conflicting_reports', 'no_official', 'official_changed', 'mismatch', 'match'] as const;
export type MatchStatus = (typeof MATCH_STATUSES)[number];

export const REJECT_REASONS = ['illegible', 'not_a_protocol', 'wrong_precinct', 'duplicate', 'other'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];
