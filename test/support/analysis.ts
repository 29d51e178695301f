import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { bearer, TestContext, TestUser } from './test-context';

/**
 * Imports an official-results file through the public API and waits until the import is done
 * (needs the worker); returns the import id.
 */
export async function importOfficialResults(
  ctx: TestContext,
  admin: TestUser,
  slug: string,
  file: string,
): Promise<string> {
  const res = await ctx
    .http()
    .post(`/api/elections/${slug}/official-results`)
    .set(...bearer(admin))
    .attach('file', createReadStream(file), basename(file))
    .expect(202);
  const importId: string = res.body.importId;
  for (let i = 0; i < 1200; i++) {
    await ctx.relayOutbox();
    const status = await ctx
      .http()
      .get(`/api/imports/${importId}`)
      .set(...bearer(admin))
      .expect(200);
    if (status.body.status === 'done') return importId;
    if (status.body.status === 'failed') throw new Error(`import failed: ${JSON.stringify(status.body.errors)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`import ${importId} did not finish`);
}

/**
 * A report that has been through review, written straight to the table: the analyses read only
 * `status` and `final_values`, and the review flow has its own tests.
 */
export async function reviewedReport(
  ctx: TestContext,
  input: { electionId: string; precinctId: number; observerId: string; finalValues: number[]; reviewedAt?: Date },
): Promise<string> {
  const [{ id }] = await ctx.db.query(
    `INSERT INTO reports (election_id, precinct_id, observer_id, client_report_id, status, final_values, reviewed_at)
     VALUES ($1, $2, $3, $4, 'reviewed', $5, $6) RETURNING id`,
    [
      input.electionId,
      input.precinctId,
      input.observerId,
      randomUUID(),
      input.finalValues,
      input.reviewedAt ?? new Date(),
    ],
  );
  return id;
}
