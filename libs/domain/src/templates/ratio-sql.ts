import { parseRatio, Term } from './expression';
import { ProtocolTemplateModel } from './protocol-template';

/** A SQL string literal; standard_conforming_strings is on (PostgreSQL's default since 9.1). */
export function sqlLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * Where the line values are: an `int[]` expression in template line order, or a function giving
 * the SQL of the value at a 1-based position (e.g. one int column per line, which spares an
 * array subscript per term: the national import's 45 terms per row cost half as much).
 */
export type LineValues = string | ((position: number) => string);

function lineValueSql(values: LineValues, position: number): string {
  return typeof values === 'string' ? `(${values})[${position}]` : values(position);
}

/**
 * SQL for a sum over the line values in template line order. Missing values count as 0, as in
 * `ProtocolTemplateModel.violations()`; bigint so that sums of large lines never overflow.
 */
export function sumSql(terms: Term[], column: LineValues, model: ProtocolTemplateModel): string {
  if (terms.length === 0) return '0::bigint';
  return terms
    .map((t, i) => {
      const value = `coalesce(${lineValueSql(column, model.indexOf(t.n) + 1)}, 0)::bigint`;
      return `${t.sign < 0 ? '- ' : i === 0 ? '' : '+ '}${value}`;
    })
    .join(' ');
}

/**
 * SQL for the ids of every control ratio (errors and warnings) that the values in `column`
 * break, as `text[]` in template order: the twin of `violations()` for set-based imports.
 */
export function violatedRatiosSql(model: ProtocolTemplateModel, column: LineValues): string {
  const ratios = model.template.ratios;
  if (ratios.length === 0) return `'{}'::text[]`;
  const checks = ratios.map((r) => {
    const parsed = parseRatio(r.expr, model.lineNumbers);
    const holds = `(${sumSql(parsed.left, column, model)}) ${parsed.op} (${sumSql(parsed.right, column, model)})`;
    return `CASE WHEN ${holds} THEN NULL ELSE ${sqlLiteral(r.id)} END`;
  });
  return `array_remove(ARRAY[${checks.join(', ')}]::text[], NULL)`;
}
