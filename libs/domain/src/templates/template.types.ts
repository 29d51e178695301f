/** A numbered line of a precinct protocol, e.g. line 10 "valid ballots". */
export interface ProtocolLine {
  n: number;
  key: string;
  label: string;
  /** Exact CSV header of this line in official-results files. */
  column?: string;
  /** Contestant lines (parties, candidates). */
  candidate?: boolean;
}

export type RatioSeverity = 'error' | 'warning';

export interface ControlRatio {
  id: string;
  expr: string;
  severity: RatioSeverity;
}

export interface PrecinctColumns {
  region: string;
  number: string;
  district?: string;
  territory?: string;
  /** Optional column with `true`/`false` marking remote e-voting units. */
  evoting?: string;
}

export interface ProtocolTemplate {
  precinctColumns: PrecinctColumns;
  lines: ProtocolLine[];
  ratios: ControlRatio[];
  /** Sums (same grammar as one side of a ratio) used by the analyses. */
  registered?: string;
  ballotsCast?: string;
  valid?: string;
  /** Name of the rule that marks e-voting units, known to presets only. */
  evotingRule?: string;
}

/** Protocol numbers keyed by line number, as they travel over HTTP: `{"1": 1515}`. */
export type ProtocolValues = Record<string, number>;
