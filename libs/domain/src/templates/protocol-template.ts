import { ExpressionError, holds, ParsedRatio, parseRatio, parseSum, Term } from './expression';
import { ControlRatio, ProtocolLine, ProtocolTemplate, ProtocolValues } from './template.types';

export interface RatioViolation {
  id: string;
  expr: string;
  severity: 'error' | 'warning';
}

export const MAX_PROTOCOL_VALUE = 10_000_000;

/**
 * A checked protocol template: line lookups, parsed control ratios and conversions between the
 * HTTP shape (`{"1": 1515}`) and the storage shape (an `int[]` in line order).
 */
export class ProtocolTemplateModel {
  readonly lineNumbers: ReadonlySet<number>;
  private readonly indexByLine = new Map<number, number>();
  private readonly parsedRatios: Array<ControlRatio & { parsed: ParsedRatio }>;

  constructor(readonly template: ProtocolTemplate) {
    const problems = validateTemplate(template);
    if (problems.length > 0) throw new ExpressionError(problems.join('; '));
    template.lines.forEach((line, i) => this.indexByLine.set(line.n, i));
    this.lineNumbers = new Set(this.indexByLine.keys());
    this.parsedRatios = template.ratios.map((r) => ({ ...r, parsed: parseRatio(r.expr, this.lineNumbers) }));
  }

  get lines(): ProtocolLine[] {
    return this.template.lines;
  }

  get candidateLines(): ProtocolLine[] {
    return this.template.lines.filter((l) => l.candidate);
  }

  indexOf(n: number): number {
    const index = this.indexByLine.get(n);
    if (index === undefined) throw new ExpressionError(`the template has no line ${n}`);
    return index;
  }

  sum(name: 'registered' | 'ballotsCast' | 'valid'): Term[] | undefined {
    const expr = this.template[name];
    return expr ? parseSum(expr, this.lineNumbers) : undefined;
  }

  /** Every ratio that the values break; lines missing from `values` count as 0. */
  violations(values: ProtocolValues): RatioViolation[] {
    return this.parsedRatios
      .filter((r) => !holds(r.parsed, values))
      .map(({ id, expr, severity }) => ({ id, expr, severity }));
  }

  toArray(values: ProtocolValues): number[] {
    return this.template.lines.map((line) => values[String(line.n)]);
  }

  fromArray(array: ReadonlyArray<number | null>): ProtocolValues {
    const values: ProtocolValues = {};
    this.template.lines.forEach((line, i) => {
      const v = array[i];
      if (v !== null && v !== undefined) values[String(line.n)] = v;
    });
    return values;
  }

  /**
   * Problems with protocol values, each naming the line: keys that are not template lines, values
   * that are not integers in 0..10,000,000, and (when `complete`) lines that are missing.
   */
  valueProblems(values: unknown, complete: boolean): string[] {
    if (typeof values !== 'object' || values === null || Array.isArray(values)) {
      return ['values must be an object keyed by line number, e.g. {"1": 1515}'];
    }
    const problems: string[] = [];
    for (const [key, value] of Object.entries(values)) {
      if (!/^\d+$/.test(key) || !this.lineNumbers.has(Number(key))) {
        problems.push(`line ${key} is not a line of this protocol`);
      } else if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > MAX_PROTOCOL_VALUE) {
        problems.push(`line ${key} must be an integer from 0 to ${MAX_PROTOCOL_VALUE}`);
      }
    }
    if (complete) {
      for (const line of this.template.lines) {
        if (!(String(line.n) in values)) problems.push(`line ${line.n} is missing`);
      }
    }
    return problems;
  }
}

/** Structural checks of a template; an empty list means it is usable. */
export function validateTemplate(template: ProtocolTemplate): string[] {
  const problems: string[] = [];
  const numbers = new Set<number>();
  const keys = new Set<string>();
  const columns = new Set<string>();
  if (!template.lines?.length) problems.push('a template needs at least one line');
  for (const line of template.lines ?? []) {
    if (!Number.isInteger(line.n) || line.n < 1) problems.push(`line number ${line.n} must be a positive integer`);
    if (numbers.has(line.n)) problems.push(`line number ${line.n} is used twice`);
    if (keys.has(line.key)) problems.push(`line key "${line.key}" is used twice`);
    if (line.column !== undefined) {
      if (columns.has(line.column)) problems.push(`column "${line.column}" is used by two lines`);
      columns.add(line.column);
    }
    numbers.add(line.n);
    keys.add(line.key);
  }
  const ids = new Set<string>();
  for (const ratio of template.ratios ?? []) {
    if (ids.has(ratio.id)) problems.push(`ratio id "${ratio.id}" is used twice`);
    ids.add(ratio.id);
    try {
      parseRatio(ratio.expr, numbers);
    } catch (e) {
      problems.push(`ratio "${ratio.id}": ${(e as Error).message}`);
    }
  }
  for (const name of ['registered', 'ballotsCast', 'valid'] as const) {
    const expr = template[name];
    if (expr === undefined) continue;
    try {
      parseSum(expr, numbers);
    } catch (e) {
      problems.push(`${name}: ${(e as Error).message}`);
    }
  }
  return problems;
}
