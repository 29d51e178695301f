import { ProtocolTemplateModel, sumToSql, Term } from '@app/domain';

/**
 * The parts of a template the analyses read, as SQL over an `int[]` column of values in template
 * line order. Built once per request from the election's checked template, so every index and
 * expression in the generated SQL comes from validated line numbers, never from the request.
 */
export interface TemplateSql {
  /** Candidate lines in template order. */
  candidates: Array<{ n: number; key: string; label: string; index: number }>;
  /** Valid ballots; the sum of candidate votes when the template names no `valid` sum. */
  valid: (column: string) => string;
  registered?: (column: string) => string;
  ballotsCast?: (column: string) => string;
}

export function templateSql(model: ProtocolTemplateModel): TemplateSql {
  const index = (n: number) => model.indexOf(n);
  const candidates = model.candidateLines.map((l) => ({ n: l.n, key: l.key, label: l.label, index: index(l.n) + 1 }));
  const sum = (terms: Term[] | undefined) =>
    terms ? (column: string) => `(${sumToSql(terms, column, index)})` : undefined;
  const allCandidates: Term[] = candidates.map((c) => ({ sign: 1, n: c.n }));
  return {
    candidates,
    valid: sum(model.sum('valid') ?? allCandidates)!,
    registered: sum(model.sum('registered')),
    ballotsCast: sum(model.sum('ballotsCast')),
  };
}
