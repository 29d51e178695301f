import { stringify } from 'csv-stringify/sync';
import { DiscrepancyDto } from './discrepancies.dto';

/** The contract's CSV columns, in order. */
export const DISCREPANCY_CSV_COLUMNS = [
  'region',
  'district',
  'number',
  'status',
  'n',
  'key',
  'observed',
  'official',
  'delta',
  'reportIds',
] as const;

/**
 * CSV rows of list items: one per differing line, and one with empty line cells for an item
 * without differing lines (a listed `match` or `no_official`), so every listed precinct appears.
 * Report ids are joined by spaces; a missing value is an empty cell.
 */
export function discrepancyCsvRows(items: DiscrepancyDto[]): string {
  const records: Array<Array<string | number | null>> = [];
  for (const item of items) {
    const head = [item.precinct.region, item.precinct.district, item.precinct.number, item.status];
    const ids = item.reportIds.join(' ');
    if (item.lines.length === 0) records.push([...head, null, null, null, null, null, ids]);
    for (const l of item.lines) records.push([...head, l.n, l.key, l.observed, l.official, l.delta, ids]);
  }
  return records.length ? stringify(records) : '';
}

export const discrepancyCsvHeader = (): string => stringify([[...DISCREPANCY_CSV_COLUMNS]]);
