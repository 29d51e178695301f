import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { MOSCOW_CSV } from './data';
import { bearer, TestContext, TestUser } from './test-context';

/** The Moscow official file as rows of cells, header first (parsed once per test file). */
let moscow: string[][] | undefined;
export function moscowRows(): string[][] {
  moscow ??= parse(readFileSync(MOSCOW_CSV)) as string[][];
  return moscow;
}

/** Line values (template order: CSV columns 5–30) of a Moscow precinct, by its label number. */
export function moscowValues(number: string): number[] {
  const row = moscowRows().find((r) => r[4] === `УИК №${number}`);
  if (!row) throw new Error(`no precinct ${number} in the Moscow file`);
  return row.slice(5, 31).map(Number);
}

/** The Moscow file with some cells changed: `edit(row, index)` may mutate the data rows. */
export function moscowCsv(edit?: (rows: string[][]) => void): Buffer {
  const rows = moscowRows().map((r) => [...r]);
  edit?.(rows);
  return Buffer.from(stringify(rows));
}

export async function uploadOfficial(
  ctx: TestContext,
  user: TestUser,
  slug: string,
  file: string | Buffer,
  name = 'results.csv',
): Promise<string> {
  const res = await ctx
    .http()
    .post(`/api/elections/${slug}/official-results`)
    .set(...bearer(user))
    .attach('file', file, name)
    .expect(202);
  return res.body.importId;
}

/** Polls an import until it is done or failed (the worker runs it). */
export async function waitForImport(ctx: TestContext, user: TestUser, importId: string): Promise<Record<string, any>> {
  for (let i = 0; i < 1200; i++) {
    await ctx.relayOutbox();
    const res = await ctx
      .http()
      .get(`/api/imports/${importId}`)
      .set(...bearer(user))
      .expect(200);
    if (res.body.status === 'done' || res.body.status === 'failed') return res.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`import ${importId} did not finish`);
}

/** Waits until the matching queue has nothing waiting or running. */
export async function waitForMatching(ctx: TestContext): Promise<void> {
  const { getQueueToken } = await import('@nestjs/bullmq');
  const { QueueName } = await import('@app/queue');
  const queue = ctx.api.get(getQueueToken(QueueName.Matching), { strict: false });
  for (let i = 0; i < 1200; i++) {
    await ctx.relayOutbox();
    const [pending] = await ctx.db.query(`SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL`);
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    if (pending.n === 0 && Object.values(counts as Record<string, number>).every((n) => n === 0)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('matching did not settle');
}

export async function precinctId(ctx: TestContext, electionId: string, number: string): Promise<number> {
  const rows = await ctx.db.query(`SELECT id FROM precincts WHERE election_id = $1 AND number = $2`, [
    electionId,
    number,
  ]);
  if (!rows[0]) throw new Error(`no precinct ${number}`);
  return rows[0].id;
}

/**
 * A report that has been through review, written directly: status `reviewed` with final
 * values in template order, and `photos` processed photo rows (what the public page links).
 */
export async function insertReviewedReport(
  ctx: TestContext,
  r: { electionId: string; precinctId: number; observerId: string; finalValues: number[]; photos?: number },
): Promise<string> {
  const [{ id }] = await ctx.db.query(
    `INSERT INTO reports (election_id, precinct_id, observer_id, client_report_id, status, final_values, reviewed_at)
     VALUES ($1, $2, $3, $4, 'reviewed', $5, clock_timestamp()) RETURNING id`,
    [r.electionId, r.precinctId, r.observerId, randomUUID(), r.finalValues],
  );
  for (let i = 0; i < (r.photos ?? 1); i++) {
    await ctx.db.query(
      `INSERT INTO photos (report_id, position, sha256, size, mime, width, height, status, processed_at)
       VALUES ($1, $2, $3, 1000, 'image/jpeg', 1600, 1200, 'processed', now())`,
      [id, i, randomUUID().replace(/-/g, '').padEnd(64, '0')],
    );
  }
  return id;
}

/**
 * A reviewed report (written directly, see `insertReviewedReport`) and, like the review flow
 * does when a report becomes reviewed, its one-precinct match job in the outbox.
 */
export async function reviewedAndQueued(
  ctx: TestContext,
  r: { electionId: string; precinctId: number; observerId: string; finalValues: number[]; photos?: number },
): Promise<string> {
  const { OutboxService, matchJobFor } = await import('@app/queue');
  const id = await insertReviewedReport(ctx, r);
  await ctx.api.get(OutboxService).add(ctx.db.manager, matchJobFor(r.electionId, r.precinctId, id));
  return id;
}

/** A report of an existing precinct waiting for review: photos processed, review jobs queued. */
export async function reportAwaitingReview(
  ctx: TestContext,
  r: { electionId: string; precinctId: number; observerId: string },
): Promise<string> {
  const { OutboxService, reviewJobsFor } = await import('@app/queue');
  return ctx.db.transaction(async (m) => {
    const [report] = await m.query(
      `INSERT INTO reports (election_id, precinct_id, observer_id, client_report_id, status)
       VALUES ($1, $2, $3, $4, 'awaiting_review') RETURNING id`,
      [r.electionId, r.precinctId, r.observerId, randomUUID()],
    );
    await m.query(
      `INSERT INTO photos (report_id, position, sha256, size, mime, width, height, status, processed_at)
       VALUES ($1, 0, $2, 1000, 'image/webp', 1600, 1200, 'processed', now())`,
      [report.id, randomUUID().replace(/-/g, '').padEnd(64, '0')],
    );
    await ctx.api.get(OutboxService).add(m, ...reviewJobsFor(report.id, Number(ctx.env.REVIEWS_REQUIRED ?? 2)));
    return report.id as string;
  });
}

/** Line values keyed by line number ("1" … "26"), as the review API takes them. */
export const keyedValues = (values: number[]): Record<string, number> =>
  Object.fromEntries(values.map((v, i) => [String(i + 1), v]));

/**
 * One reviewed report for every precinct of an import, written in one statement (benchmarks).
 * Every `mismatchEvery`-th precinct (by id) gets `shift` votes on line 17 and `-shift` on line 13,
 * so its report differs from the official numbers on those two lines. Returns the report count.
 */
export async function reviewEveryPrecinct(
  ctx: TestContext,
  r: { electionId: string; importId: string; observerId: string; mismatchEvery: number; shift?: number },
): Promise<number> {
  const shift = r.shift ?? 7;
  await ctx.db.query(
    `INSERT INTO reports (election_id, precinct_id, observer_id, client_report_id, status, final_values, reviewed_at)
     SELECT $1, o.precinct_id, $3, gen_random_uuid(), 'reviewed',
            CASE WHEN o.precinct_id % $4 = 0
                 THEN o.line_values[1:12] || (o.line_values[13] - $5) || o.line_values[14:16]
                      || (o.line_values[17] + $5) || o.line_values[18:26]
                 ELSE o.line_values END,
            now()
       FROM official_results o WHERE o.import_id = $2`,
    [r.electionId, r.importId, r.observerId, r.mismatchEvery, shift],
  );
  const [{ n }] = await ctx.db.query(
    `SELECT count(*)::int AS n FROM reports WHERE election_id = $1 AND status = 'reviewed'`,
    [r.electionId],
  );
  return n;
}
