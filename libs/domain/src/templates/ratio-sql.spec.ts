import { Client } from 'pg';
import { templatePreset } from './presets';
import { ProtocolTemplateModel } from './protocol-template';
import { sqlLiteral, violatedRatiosSql } from './ratio-sql';

/** Checks the generated SQL against `violations()` on real PostgreSQL. */
describe('control ratios in SQL', () => {
  const model = new ProtocolTemplateModel(templatePreset('ru-duma-2021-federal')!);
  let client: Client;

  beforeAll(async () => {
    client = new Client({
      connectionString: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    });
    await client.connect();
  });
  afterAll(() => client.end());

  const valid = [
    1515, 1500, 10, 900, 50, 540, 50, 900, 20, 930, 0, 0, 300, 30, 100, 50, 250, 80, 40, 10, 5, 5, 20, 10, 20, 10,
  ];

  async function sqlViolations(values: Array<number | null>): Promise<string[]> {
    const { rows } = await client.query(`SELECT ${violatedRatiosSql(model, '$1::int[]')} AS v`, [values]);
    return rows[0].v;
  }

  it('finds no violation in a consistent protocol', async () => {
    expect(model.violations(model.fromArray(valid))).toEqual([]);
    expect(await sqlViolations(valid)).toEqual([]);
  });

  it.each([
    ['more ballots issued than voters', 0, 900],
    ['valid ballots differ from the sum of votes', 12, 301],
    ['portable boxes hold more than was issued outside', 6, 60],
  ])('agrees with violations() when %s', async (_name, index, value) => {
    const values = [...valid];
    values[index] = value;
    const expected = model.violations(model.fromArray(values)).map((v) => v.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(await sqlViolations(values)).toEqual(expected);
  });

  it('counts missing values as 0, like violations()', async () => {
    const values: Array<number | null> = [...valid];
    values[25] = null;
    const expected = model.violations(model.fromArray(values)).map((v) => v.id);
    expect(await sqlViolations(values)).toEqual(expected);
  });

  it('gives the same ids over one value per line as over the array', async () => {
    const values = [...valid];
    values[12] = 301;
    values[6] = 60;
    const perLine = violatedRatiosSql(model, (position) => `$${position}::int`);
    const { rows } = await client.query(`SELECT ${perLine} AS v`, values);
    expect(rows[0].v).toEqual(await sqlViolations(values));
    expect(rows[0].v.length).toBeGreaterThan(0);
  });

  it('quotes ratio ids so that they cannot break out of the literal', async () => {
    expect(sqlLiteral("a'b")).toBe("'a''b'");
    const custom = new ProtocolTemplateModel({
      precinctColumns: { region: 'r', number: 'n' },
      lines: [
        { n: 1, key: 'a', label: 'A' },
        { n: 2, key: 'b', label: 'B' },
      ],
      ratios: [{ id: "x'); DROP TABLE t; --", expr: 'L1 >= L2', severity: 'error' }],
    });
    const { rows } = await client.query(`SELECT ${violatedRatiosSql(custom, '$1::int[]')} AS v`, [[1, 2]]);
    expect(rows[0].v).toEqual(["x'); DROP TABLE t; --"]);
  });
});
