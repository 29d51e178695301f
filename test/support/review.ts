import { OutboxService, reviewJobsFor } from '@app/queue';
import { randomBytes, randomUUID } from 'node:crypto';
import { bearer, TestContext, TestUser } from './test-context';

export interface ReviewWorld {
  election: { id: string; slug: string };
  observer: TestUser;
}

/** An election on the 2021 preset and an observer who sends its reports. */
export async function newReviewWorld(ctx: TestContext, admin: TestUser): Promise<ReviewWorld> {
  const election = await ctx.newElection(admin);
  return { election, observer: await ctx.newUser('observer') };
}

/**
 * Reports that photo processing has finished with: status awaiting_review, processed photo rows
 * and, in the same transaction, the outbox rows of their review jobs; then relayed to BullMQ.
 */
export async function newReportsAwaitingReview(
  ctx: TestContext,
  world: ReviewWorld,
  count: number,
  reviewsRequired = Number(ctx.env.REVIEWS_REQUIRED ?? 2),
): Promise<string[]> {
  const outbox = ctx.api.get(OutboxService);
  const ids: string[] = [];
  await ctx.db.transaction(async (m) => {
    for (let i = 0; i < count; i++) {
      const [precinct] = await m.query(
        `INSERT INTO precincts (election_id, region, district, number) VALUES ($1, 'город Москва', 'ОИК №196', $2) RETURNING id`,
        [world.election.id, `${randomBytes(4).readUInt32BE() % 1_000_000}${i}`],
      );
      const [report] = await m.query(
        `INSERT INTO reports (election_id, precinct_id, observer_id, client_report_id, status)
         VALUES ($1, $2, $3, $4, 'awaiting_review') RETURNING id`,
        [world.election.id, precinct.id, world.observer.id, randomUUID()],
      );
      for (let p = 0; p < 2; p++) {
        await m.query(
          `INSERT INTO photos (report_id, position, sha256, size, mime, width, height, status, processed_at)
           VALUES ($1, $2, $3, 1000, 'image/webp', 1600, 1200, 'processed', now())`,
          [report.id, p, randomBytes(32).toString('hex')],
        );
      }
      await outbox.add(m, ...reviewJobsFor(report.id, reviewsRequired));
      ids.push(report.id);
    }
  });
  await ctx.relayOutbox();
  return ids;
}

/** Values of the 26-line 2021 protocol that keep every control ratio; `changes` overrides lines. */
export function protocolValues(changes: Record<string, number> = {}): Record<string, number> {
  const votes = [120, 80, 40, 30, 400, 60, 20, 10, 5, 5, 4, 3, 2, 1]; // lines 13..26, sum 780
  const values: Record<string, number> = {
    '1': 1500,
    '2': 1200,
    '3': 50,
    '4': 700,
    '5': 50,
    '6': 400,
    '7': 50,
    '8': 750,
    '9': 20,
    '10': 780,
    '11': 0,
    '12': 0,
  };
  votes.forEach((v, i) => (values[String(13 + i)] = v));
  return { ...values, ...changes };
}

export const claim = (ctx: TestContext, user: TestUser, kind?: string) =>
  ctx
    .http()
    .post(`/api/review/claim${kind ? `?kind=${kind}` : ''}`)
    .set(...bearer(user));

export const submit = (ctx: TestContext, user: TestUser, taskId: string, body: object) =>
  ctx
    .http()
    .post(`/api/review/tasks/${taskId}/submit`)
    .set(...bearer(user))
    .send(body);

export const reportStatus = async (ctx: TestContext, reportId: string): Promise<string> =>
  (await ctx.db.query(`SELECT status FROM reports WHERE id = $1`, [reportId]))[0].status;

/**
 * Polls until `check` returns a value (no timing assertion: it only bounds the wait). With
 * `retryErrors`, a throwing check counts as "not yet" (services coming back after a restart),
 * and the last error is named if the deadline passes.
 */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  { retryErrors = false }: { retryErrors?: boolean } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (e) {
      if (!retryErrors) throw e;
      lastError = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`condition not met in time${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
