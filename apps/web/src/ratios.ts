import type { ControlRatio } from './types';

/**
 * Control ratios evaluated in the browser as numbers are typed, with the grammar of the API:
 * `<sum> (= | >= | <=) <sum>`, a sum being `Lk` terms joined by `+` / `-`.
 */

export interface Term {
  sign: 1 | -1;
  n: number;
}

export interface ParsedRatio {
  left: Term[];
  op: '=' | '>=' | '<=';
  right: Term[];
}

export function parseSum(expr: string): Term[] | null {
  const tokens = expr.match(/L\d+|[+-]|\S/g) ?? [];
  const terms: Term[] = [];
  let sign: 1 | -1 = 1;
  let expectTerm = true;
  for (const tok of tokens) {
    if (expectTerm) {
      if (!/^L\d+$/.test(tok)) return null;
      terms.push({ sign, n: Number(tok.slice(1)) });
      expectTerm = false;
    } else if (tok === '+' || tok === '-') {
      sign = tok === '+' ? 1 : -1;
      expectTerm = true;
    } else return null;
  }
  return expectTerm ? null : terms;
}

export function parseRatio(expr: string): ParsedRatio | null {
  const m = /^(.*?)(>=|<=|=)(.*)$/.exec(expr);
  if (!m) return null;
  const left = parseSum(m[1]);
  const right = parseSum(m[3]);
  if (!left || !right) return null;
  return { left, op: m[2] as ParsedRatio['op'], right };
}

export type RatioState = 'ok' | 'broken' | 'incomplete' | 'invalid';

export interface RatioCheck {
  ratio: ControlRatio;
  state: RatioState;
  left?: number;
  right?: number;
  lines: number[];
}

/** Sums `terms`; null when a line has no value yet. */
function sum(terms: Term[], values: Record<string, number | undefined>): number | null {
  let total = 0;
  for (const t of terms) {
    const v = values[String(t.n)];
    if (v === undefined || Number.isNaN(v)) return null;
    total += t.sign * v;
  }
  return total;
}

/** Checks each ratio whose lines are all filled in; the others are `incomplete`. */
export function checkRatios(ratios: ControlRatio[], values: Record<string, number | undefined>): RatioCheck[] {
  return ratios.map((ratio) => {
    const parsed = parseRatio(ratio.expr);
    if (!parsed) return { ratio, state: 'invalid', lines: [] };
    const lines = [...parsed.left, ...parsed.right].map((t) => t.n);
    const left = sum(parsed.left, values);
    const right = sum(parsed.right, values);
    if (left === null || right === null) return { ratio, state: 'incomplete', lines };
    const ok = parsed.op === '=' ? left === right : parsed.op === '>=' ? left >= right : left <= right;
    return { ratio, state: ok ? 'ok' : 'broken', left, right, lines };
  });
}
