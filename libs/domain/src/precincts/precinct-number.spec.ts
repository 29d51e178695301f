import { Client } from 'pg';
import {
  isEvotingByRule,
  precinctDigitsSql,
  precinctNumber,
  precinctNumberFromDigitsSql,
  precinctNumberSql,
} from './precinct-number';

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

  it('gives the same numbers in SQL, with the digits worked out inline or beforehand', async () => {
    const cases: Array<[string | null, string | null]> = [
      ['УИК №592', 'ОИК №196'],
      ['УИК №0592', null],
      ['УИК №000', null],
      ['', 'ОИК №109'],
      ['  ', 'ОИК №0'],
      [null, 'ОИК №39'],
      ['Участок', 'ОИК №1'],
      ['', ''],
    ];
    const client = new Client({
      connectionString: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    });
    await client.connect();
    try {
      for (const [label, district] of cases) {
        const { rows } = await client.query(
          `SELECT ${precinctNumberSql('$1::text', '$2::text')} AS inline,
                  (SELECT ${precinctNumberFromDigitsSql('d', '$1::text', '$2::text')}
                     FROM (SELECT ${precinctDigitsSql('$1::text')} AS d) x) AS beforehand`,
          [label, district],
        );
        expect(rows[0]).toEqual({
          inline: precinctNumber(label, district),
          beforehand: precinctNumber(label, district),
        });
      }
    } finally {
      await client.end();
    }
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
