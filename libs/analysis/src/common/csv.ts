type Cell = string | number | boolean | null | undefined;

/** RFC 4180 CSV with CRLF line ends; a header row first. */
export function toCsv(header: string[], rows: Cell[][]): string {
  const quote = (c: Cell) => {
    const s = c === null || c === undefined ? '' : String(c);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n';
}
