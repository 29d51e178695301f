import { isEvotingByRule, precinctNumber } from './precinct-number';

describe('precinct numbers', () => {
  it.each([
    ['УИК №592', 'ОИК №196', '592'],
    ['УИК №0592', null, '592'],
    ['', 'ОИК №109', 'E109'],
    [null, 'ОИК №39', 'E39'],
    ['Участок', 'ОИК №1', null],
    ['', '', null],
  ])('%p in %p → %p', (label, district, expected) => {
    expect(precinctNumber(label, district)).toBe(expected);
  });

  it('applies the 2021 e-voting rule', () => {
    const rule = 'ru-2021';
    expect(isEvotingByRule(rule, { region: 'город Москва', number: '5001' })).toBe(true);
    expect(isEvotingByRule(rule, { region: 'город Москва', number: '5016' })).toBe(false);
    expect(isEvotingByRule(rule, { region: 'Курская область', number: '5001' })).toBe(false);
    expect(isEvotingByRule(rule, { region: 'Курская область', number: 'E2' })).toBe(true);
    expect(
      isEvotingByRule(rule, { region: 'R', number: '1', territory: 'Дистанционное электронное голосование' }),
    ).toBe(true);
    expect(isEvotingByRule(undefined, { region: 'город Москва', number: '5001' })).toBe(false);
  });
});
