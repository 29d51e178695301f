/**
 * Precinct numbers as the API identifies them: the digits of the label (`УИК №592` → `592`);
 * a row with an empty label (a remote e-voting unit) takes `E` + the digits of its district
 * (`ОИК №109` → `E109`). Returns null when neither gives digits.
 *
 * The same rule exists in SQL for bulk imports: keep `precinctNumberSql` in step with it.
 */
export function precinctNumber(label: string | null | undefined, district?: string | null): string | null {
  const digits = (label ?? '').replace(/\D+/g, '');
  if (digits) return digits.replace(/^0+(?=\d)/, '');
  if ((label ?? '').trim() !== '') return null;
  const districtDigits = (district ?? '').replace(/\D+/g, '');
  return districtDigits ? `E${districtDigits.replace(/^0+(?=\d)/, '')}` : null;
}

/**
 * SQL twin of `precinctNumber` over two text expressions. Digits are kept with `translate`
 * (delete every character that is not a digit) and leading zeros dropped with `ltrim`: five
 * times cheaper than regular expressions, which were most of a national import's keying.
 * Emptiness is tested with `length`, which needs no collation: the rule also serves as a
 * generated column, where a comparison of constants (a file without a district column) has none.
 */
export function precinctNumberSql(label: string, district: string): string {
  return precinctNumberFromDigitsSql(precinctDigitsSql(label), label, district);
}

/** SQL for the digits of a text expression, in order (`УИК №0592` → `0592`; null → `''`). */
export function precinctDigitsSql(text: string): string {
  return `translate(coalesce(${text}, ''), translate(coalesce(${text}, ''), '0123456789', ''), '')`;
}

/**
 * `precinctNumberSql` over the label's digits worked out beforehand (`precinctDigitsSql(label)`,
 * e.g. a column of a subquery): the digits are then extracted once per row instead of three
 * times, which costs a bulk import a third of its keying. `labelDigits` is used several times,
 * so it should be a column, not an expression.
 */
export function precinctNumberFromDigitsSql(labelDigits: string, label: string, district: string): string {
  const number = (digits: string) =>
    `CASE WHEN length(ltrim(${digits}, '0')) = 0 THEN '0' ELSE ltrim(${digits}, '0') END`;
  const districtDigits = precinctDigitsSql(district);
  return `CASE
    WHEN length(${labelDigits}) > 0 THEN ${number(labelDigits)}
    WHEN length(btrim(coalesce(${label}, ''))) = 0 AND length(${districtDigits}) > 0 THEN 'E' || ${number(districtDigits)}
  END`;
}

/** Names of e-voting rules that presets may carry, see `isEvotingByRule`. */
export const EVOTING_TERRITORY_RU = 'Дистанционное электронное голосование';

/**
 * The `ru-2021` rule: an empty precinct label, a territory named "Дистанционное электронное
 * голосование", or Moscow's virtual precincts 5001–5015.
 */
export function isEvotingByRule(
  rule: string | undefined,
  p: { region: string; number: string; territory?: string | null; label?: string | null },
): boolean {
  if (rule !== 'ru-2021') return false;
  if (p.number.startsWith('E')) return true;
  if ((p.territory ?? '').trim() === EVOTING_TERRITORY_RU) return true;
  const n = Number(p.number);
  return p.region === 'город Москва' && n >= 5001 && n <= 5015;
}

/** SQL twin of `isEvotingByRule` for bulk imports. */
export function isEvotingByRuleSql(
  rule: string | undefined,
  region: string,
  number: string,
  territory: string,
): string {
  if (rule !== 'ru-2021') return 'false';
  return `(${number} LIKE 'E%'
    OR btrim(coalesce(${territory}, '')) = '${EVOTING_TERRITORY_RU}'
    OR (${region} = 'город Москва' AND ${number} ~ '^\\d+$' AND ${number}::int BETWEEN 5001 AND 5015))`;
}
