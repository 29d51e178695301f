import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { templatePreset } from './presets';
import { ProtocolTemplateModel } from './protocol-template';

const MOSCOW_CSV = join(__dirname, '../../../../../shared/data/duma2021/results-2021-federal-moscow.csv');

describe('the ru-duma-2021-federal preset', () => {
  const model = new ProtocolTemplateModel(templatePreset('ru-duma-2021-federal')!);
  const rows = parse(readFileSync(MOSCOW_CSV), { columns: true }) as Array<Record<string, string>>;

  it('names exactly the protocol columns of the official CSV, in order', () => {
    const headers = Object.keys(rows[0]);
    expect(model.lines.map((l) => l.column)).toEqual(headers.slice(5, 31));
  });

  it('finds no error ratio broken in any Moscow row, and the documented warnings', () => {
    let errors = 0;
    const warnings: Record<string, number> = {};
    for (const row of rows) {
      const values = Object.fromEntries(model.lines.map((l) => [String(l.n), Number(row[l.column!])]));
      for (const v of model.violations(values)) {
        if (v.severity === 'error') errors++;
        else warnings[v.id] = (warnings[v.id] ?? 0) + 1;
      }
    }
    expect(errors).toBe(0);
    expect(Object.keys(warnings).every((id) => ['issued_ge_boxes', 'outside_ge_portable'].includes(id))).toBe(true);
  });

  it('converts between the HTTP shape and line-ordered arrays', () => {
    const values = Object.fromEntries(model.lines.map((l) => [String(l.n), l.n * 10]));
    const array = model.toArray(values);
    expect(array[0]).toBe(10);
    expect(array[25]).toBe(260);
    expect(model.fromArray(array)).toEqual(values);
  });

  it('names each bad value by its line', () => {
    expect(model.valueProblems({ '1': -1, '2': 1.5, '99': 3, x: 1, '3': '4' }, false)).toEqual([
      'line 1 must be an integer from 0 to 10000000',
      'line 2 must be an integer from 0 to 10000000',
      'line 3 must be an integer from 0 to 10000000',
      'line 99 is not a line of this protocol',
      'line x is not a line of this protocol',
    ]);
    expect(model.valueProblems({ '1': 5 }, true)).toHaveLength(25);
    expect(model.valueProblems([1, 2], false)).toEqual([expect.stringMatching(/must be an object/)]);
  });
});
