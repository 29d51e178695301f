/** Shapes of the API answers, as the UI reads them. */

export type Role = 'observer' | 'moderator' | 'coordinator' | 'admin';
export const ROLES: readonly Role[] = ['observer', 'moderator', 'coordinator', 'admin'];

export function roleAtLeast(role: Role | undefined, required: Role): boolean {
  return role !== undefined && ROLES.indexOf(role) >= ROLES.indexOf(required);
}

export interface User {
  id: string;
  email: string;
  role: Role;
  displayName?: string | null;
}

export interface ProtocolLine {
  n: number;
  key: string;
  label: string;
  column?: string;
  candidate?: boolean;
}

export interface ControlRatio {
  id: string;
  expr: string;
  severity: 'error' | 'warning';
}

export interface ProtocolTemplate {
  precinctColumns?: Record<string, string>;
  lines: ProtocolLine[];
  ratios: ControlRatio[];
  registered?: string;
  ballotsCast?: string;
  valid?: string;
}

export interface Election {
  id?: string;
  slug: string;
  name: string;
  date?: string | null;
  templatePreset?: string | null;
  template?: ProtocolTemplate;
}

export interface Precinct {
  id: string;
  region: string;
  district?: string | null;
  territory?: string | null;
  number: string;
  evoting?: boolean;
}

export type ProtocolValues = Record<string, number>;

export type ReportStatus =
  'received' | 'processing' | 'awaiting_review' | 'in_review' | 'needs_arbitration' | 'reviewed' | 'rejected';

export interface Photo {
  id: string;
  url: string;
  width?: number;
  height?: number;
  sha256?: string;
}

export interface Report {
  id: string;
  status: ReportStatus;
  precinct: Partial<Precinct> & { region: string; number: string };
  photos: Photo[];
  values?: ProtocolValues | null;
  createdAt: string;
  clientReportId?: string;
  electionSlug?: string;
}

export interface Transcription {
  moderatorId: string;
  values: ProtocolValues;
}

export interface ReviewTask {
  taskId: string;
  reportId: string;
  kind: 'transcribe' | 'arbitrate';
  photos: Photo[];
  template: ProtocolTemplate;
  lockExpiresAt: string;
  transcriptions?: Transcription[];
  differingLines?: number[];
}

export interface RatioViolation {
  id: string;
  expr?: string;
  severity?: 'error' | 'warning';
}

export interface SubmitResult {
  reportStatus: ReportStatus;
  ratioViolations: RatioViolation[];
}

export const REJECT_REASONS = ['illegible', 'not_a_protocol', 'wrong_precinct', 'duplicate', 'other'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export const MATCH_STATUSES = ['mismatch', 'conflicting_reports', 'official_changed', 'no_official', 'match'] as const;
export type MatchStatus = (typeof MATCH_STATUSES)[number];

export interface DiscrepancyLine {
  n: number;
  key: string;
  label?: string;
  observed: number | null;
  official: number | null;
  delta: number | null;
}

export interface Discrepancy {
  precinct: { id?: string; region: string; district?: string | null; number: string };
  status: MatchStatus;
  reportIds: string[];
  lines: DiscrepancyLine[];
  /** Public derivatives of the reports' photos (review size and thumbnail). */
  photos?: PublicPhoto[];
}

export interface PublicPhoto extends Photo {
  reportId: string;
  thumbUrl: string;
}

export interface PrecinctDiscrepancy extends Discrepancy {
  precinct: Precinct;
  photos: PublicPhoto[];
}

export interface Summary {
  counts: Record<MatchStatus, number>;
  lines: { n: number; key: string; delta: number }[];
}

export interface Invite {
  id?: string;
  code: string;
  role: 'observer' | 'moderator';
  electionSlug?: string | null;
  maxUses?: number;
  uses?: number;
  expiresAt?: string | null;
  createdAt?: string;
}

export interface ImportStatus {
  id?: string;
  importId?: string;
  kind?: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  rowsTotal: number | null;
  rowsDone: number | null;
  errors: { row: number; message: string }[];
  createdAt?: string;
  fileName?: string;
  version?: number | null;
  flaggedRows?: number;
}

/** A precinct whose official numbers differ between an import and the version before it. */
export interface ChangedPrecinct {
  precinct: { id: number; region: string; district: string | null; number: string };
  lines: { n: number; key: string; previous: number | null; current: number | null }[];
}

export interface ImportChanges {
  importId: string;
  version: number | null;
  previousVersion: number | null;
  items: ChangedPrecinct[];
  total: number;
}

export interface ModeratorStats {
  moderatorId: string;
  email: string;
  tasksDone: number;
  agreementRate: number | null;
  medianSeconds: number | null;
}

export interface ModeSide {
  lines: { n: number; key: string; votes: number; share: number }[];
  /** null when the side has no votes (e.g. no e-voting units in the district). */
  leader: { n: number; key: string } | null;
  precincts?: number;
  valid?: number;
}

export interface EvotingDistrict {
  region: string;
  district: string;
  paper: ModeSide;
  evoting: ModeSide;
  combined: ModeSide;
  reversed: boolean;
  swing: number | null;
  challenger?: { n: number; key: string } | null;
}

export type EvotingRegion = Omit<EvotingDistrict, 'district'>;

export interface HistogramBin {
  pct: number;
  count: number;
  /** Ballots cast in the bin's precincts. */
  ballots?: number;
}

export interface Forensics {
  turnoutHistogram: HistogramBin[];
  leaderShareHistogram: HistogramBin[];
  heatmap: { bins: number | number[]; cells: number[][]; ballots?: number[][] };
  highTurnoutShare?: number | null;
  /** Fields below: see GET /api/elections/:slug/analysis/forensics. */
  leader?: { n: number; key: string; label: string; votes: number; share: number } | null;
  precincts?: number;
  evotingUnitsExcluded?: number;
  turnout?: number;
  highTurnoutThreshold?: number;
  highTurnoutPrecincts?: number;
  integerPercent?: {
    turnout: { observed: number; expected: number };
    leaderShare: { observed: number; expected: number };
  };
}
