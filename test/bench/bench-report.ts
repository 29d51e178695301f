import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  /** The same measure of the bare-library baseline in this run, if any. */
  baseline?: number;
  /** value / baseline, or baseline / value when `higherIsBetter`. */
  ratio?: number;
  goal?: string;
}

/** Prints a benchmark's figures as a table and keeps them as JSON under test/artifacts/bench/. */
export function reportBench(bench: string, figures: BenchFigure[]): void {
  const dir = join(__dirname, '..', 'artifacts', 'bench');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${bench}.json`), JSON.stringify({ bench, at: new Date().toISOString(), figures }, null, 2));
  const rows = figures.map((f) =>
    [
      f.name.padEnd(48),
      `${round(f.value)} ${f.unit}`.padEnd(18),
      f.baseline === undefined ? ''.padEnd(18) : `${round(f.baseline)} ${f.unit}`.padEnd(18),
      f.ratio === undefined ? ''.padEnd(8) : `${round(f.ratio)}×`.padEnd(8),
      f.goal ?? '',
    ].join(' '),
  );
  process.stdout.write(
    `\n${bench}\n${'measure'.padEnd(48)} ${'project'.padEnd(18)} ${'baseline'.padEnd(18)} ${'ratio'.padEnd(8)} goal\n${rows.join('\n')}\n`,
  );
}

const round = (n: number) => (Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 100) / 100);

/** Milliseconds taken by `work`. */
export async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
