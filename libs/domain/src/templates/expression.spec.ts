import { evaluateSum, ExpressionError, holds, parseRatio, parseSum } from './expression';

describe('control-ratio expressions', () => {
  const lines = new Set([1, 2, 3, 4, 5, 10, 13, 14]);

  it('parses sums with + and -', () => {
    expect(parseSum('L3 + L4 - L5', lines)).toEqual([
      { sign: 1, n: 3 },
      { sign: 1, n: 4 },
      { sign: -1, n: 5 },
    ]);
  });

  it('parses each comparison, with or without spaces', () => {
    expect(parseRatio('L1>=L3+L4', lines).op).toBe('>=');
    expect(parseRatio('L1 <= L3', lines).op).toBe('<=');
    expect(parseRatio('L10 = L13 + L14', lines)).toEqual({
      left: [{ sign: 1, n: 10 }],
      op: '=',
      right: [
        { sign: 1, n: 13 },
        { sign: 1, n: 14 },
      ],
    });
  });

  it.each([
    ['', /has no comparison|ends where a line/],
    ['L1 =', /ends where a line/],
    ['= L1', /expected a line like L1 but found "="/],
    ['L1 == L2', /expected a line like L1 but found "="/],
    ['L1 = L99', /refers to line 99/],
    ['L1 = L2 L3', /unexpected "L3"/],
    ['L1 > L2', /expected =, >= or <= but found ">"/],
  ])('refuses %p', (expr, message) => {
    expect(() => parseRatio(expr, lines)).toThrow(ExpressionError);
    expect(() => parseRatio(expr, lines)).toThrow(message);
  });

  it('evaluates against values, missing lines counting as 0', () => {
    const ratio = parseRatio('L10 = L13 + L14', lines);
    expect(holds(ratio, { '10': 7, '13': 3, '14': 4 })).toBe(true);
    expect(holds(ratio, { '10': 7, '13': 3 })).toBe(false);
    expect(evaluateSum(parseSum('L13 - L14'), { '13': 3, '14': 4 })).toBe(-1);
  });
});
