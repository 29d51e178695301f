import { ProtocolValues } from './template.types';

export interface Term {
  sign: 1 | -1;
  n: number;
}

export type Comparison = '=' | '>=' | '<=';

export interface ParsedRatio {
  left: Term[];
  op: Comparison;
  right: Term[];
}

export class ExpressionError extends Error {}

const TOKEN = /\s*(L\d+|>=|<=|=|\+|-|\S)/gy;

function tokenize(expr: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let match: RegExpExecArray | null;
  while (TOKEN.lastIndex < expr.length && (match = TOKEN.exec(expr))) {
    if (match[1] !== undefined) tokens.push(match[1]);
  }
  return tokens.filter((t) => t.trim() !== '');
}

/**
 * Parses a sum: `Lk` terms joined by `+` / `-`, e.g. `L3 + L4 - L12`.
 * `knownLines` restricts which line numbers may appear.
 */
export function parseSum(expr: string, knownLines?: ReadonlySet<number>): Term[] {
  const tokens = tokenize(expr);
  const { terms, rest } = readSum(tokens, expr, knownLines);
  if (rest.length > 0) throw new ExpressionError(`unexpected "${rest[0]}" in "${expr}"`);
  return terms;
}

/** Parses `<sum> (= | >= | <=) <sum>`. */
export function parseRatio(expr: string, knownLines?: ReadonlySet<number>): ParsedRatio {
  const tokens = tokenize(expr);
  const left = readSum(tokens, expr, knownLines);
  const op = left.rest[0];
  if (op !== '=' && op !== '>=' && op !== '<=') {
    throw new ExpressionError(
      op === undefined
        ? `"${expr}" has no comparison (=, >= or <=)`
        : `expected =, >= or <= but found "${op}" in "${expr}"`,
    );
  }
  const right = readSum(left.rest.slice(1), expr, knownLines);
  if (right.rest.length > 0) throw new ExpressionError(`unexpected "${right.rest[0]}" in "${expr}"`);
  return { left: left.terms, op, right: right.terms };
}

function readSum(tokens: string[], expr: string, knownLines?: ReadonlySet<number>): { terms: Term[]; rest: string[] } {
  const terms: Term[] = [];
  let i = 0;
  let sign: 1 | -1 = 1;
  for (;;) {
    const token = tokens[i];
    if (token === undefined) throw new ExpressionError(`"${expr}" ends where a line (Lk) was expected`);
    if (!/^L\d+$/.test(token)) {
      throw new ExpressionError(`expected a line like L1 but found "${token}" in "${expr}"`);
    }
    const n = Number(token.slice(1));
    if (knownLines && !knownLines.has(n)) {
      throw new ExpressionError(`"${expr}" refers to line ${n}, which the template does not have`);
    }
    terms.push({ sign, n });
    i++;
    const next = tokens[i];
    if (next === '+' || next === '-') {
      sign = next === '+' ? 1 : -1;
      i++;
      continue;
    }
    return { terms, rest: tokens.slice(i) };
  }
}

export function evaluateSum(terms: Term[], values: ProtocolValues): number {
  let total = 0;
  for (const term of terms) total += term.sign * (values[String(term.n)] ?? 0);
  return total;
}

export function holds(ratio: ParsedRatio, values: ProtocolValues): boolean {
  const left = evaluateSum(ratio.left, values);
  const right = evaluateSum(ratio.right, values);
  switch (ratio.op) {
    case '=':
      return left === right;
    case '>=':
      return left >= right;
    case '<=':
      return left <= right;
  }
}

/** SQL for a sum over an `int[]` column holding values in template line order. */
export function sumToSql(terms: Term[], column: string, indexOfLine: (n: number) => number): string {
  return terms
    .map((t, i) => `${t.sign < 0 ? '-' : i === 0 ? '' : '+'} ${column}[${indexOfLine(t.n) + 1}]`)
    .join(' ')
    .trim();
}
