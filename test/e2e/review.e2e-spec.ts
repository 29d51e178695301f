import { bearer, TestContext, TestUser } from '../support/test-context';
import {
  claim,
  newReportsAwaitingReview,
  newReviewWorld,
  protocolValues,
  reportStatus,
  ReviewWorld,
  submit,
} from '../support/review';

describe('review: double-blind transcription and arbitration', () => {
  let ctx: TestContext;
  let admin: TestUser;
  let coordinator: TestUser;
  let world: ReviewWorld;

  beforeAll(async () => {
    ctx = await TestContext.create({ env: { REVIEWS_REQUIRED: '2' } });
    admin = await ctx.newUser('admin');
    coordinator = await ctx.newUser('coordinator');
    world = await newReviewWorld(ctx, admin);
  });
  afterAll(() => ctx.close());

  // Each test starts from an empty queue: take and finish whatever an earlier test left.
  afterEach(async () => {
    await ctx.db.query(`UPDATE reports SET status = 'rejected' WHERE status NOT IN ('reviewed', 'rejected')`);
    const sweeper = await ctx.newUser('moderator');
    while ((await claim(ctx, sweeper)).status === 200);
  });

  it('makes a report reviewed when two moderators agree, and hands it to matching', async () => {
    const [reportId] = await newReportsAwaitingReview(ctx, world, 1);
    const [a, b] = [await ctx.newUser('moderator'), await ctx.newUser('moderator')];
    const first = await claim(ctx, a).expect(200);
    expect(first.body).toMatchObject({ reportId, kind: 'transcribe', lockExpiresAt: expect.any(String) });
    expect(first.body.photos).toHaveLength(2);
    expect(first.body.photos[0].url).toBe(`/api/photos/${first.body.photos[0].id}`);
    expect(first.body.template.lines).toHaveLength(26);
    expect(first.body.transcriptions).toBeUndefined();
    expect(await reportStatus(ctx, reportId)).toBe('in_review');
    const second = await claim(ctx, b).expect(200);
    expect(second.body.taskId).not.toBe(first.body.taskId);

    const one = await submit(ctx, a, first.body.taskId, { values: protocolValues() }).expect(200);
    expect(one.body).toEqual({ reportStatus: 'in_review', ratioViolations: [] });
    const two = await submit(ctx, b, second.body.taskId, { values: protocolValues() }).expect(200);
    expect(two.body.reportStatus).toBe('reviewed');

    const [report] = await ctx.db.query(`SELECT status, final_values, reviewed_at FROM reports WHERE id = $1`, [
      reportId,
    ]);
    expect(report.final_values).toEqual(Object.values(protocolValues()));
    expect(report.reviewed_at).not.toBeNull();
    const jobs = await ctx.db.query(`SELECT job_name, job_id FROM outbox WHERE payload->>'precinctId' IS NOT NULL`);
    expect(jobs).toEqual([{ job_name: 'match-precinct', job_id: `match:${reportId}:1` }]);

    const audit = await ctx
      .http()
      .get(`/api/audit?reportId=${reportId}`)
      .set(...bearer(coordinator))
      .expect(200);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual([
      'task.claimed',
      'task.claimed',
      'task.submitted',
      'task.submitted',
      'report.reviewed',
    ]);
    await ctx
      .http()
      .get(`/api/audit?reportId=${reportId}`)
      .set(...bearer(a))
      .expect(403);
    await ctx
      .http()
      .get(`/api/audit?reportId=nope`)
      .set(...bearer(coordinator))
      .expect(400);
  });

  it('sends disagreeing transcriptions to arbitration, whose values are final', async () => {
    const [reportId] = await newReportsAwaitingReview(ctx, world, 1);
    const [a, b] = [await ctx.newUser('moderator'), await ctx.newUser('moderator')];
    const ta = (await claim(ctx, a).expect(200)).body;
    const tb = (await claim(ctx, b).expect(200)).body;
    await submit(ctx, a, ta.taskId, { values: protocolValues() }).expect(200);
    const misread = protocolValues({ '17': 60, '18': 400 }); // two parties swapped: balanced, but different
    const res = await submit(ctx, b, tb.taskId, { values: misread }).expect(200);
    expect(res.body.reportStatus).toBe('needs_arbitration');
    expect(await ctx.db.query(`SELECT job_id FROM outbox WHERE job_name = 'arbitrate'`)).toEqual([
      { job_id: `arbitrate:${reportId}:1` },
    ]);
    await ctx.relayOutbox();

    // The two transcribers may not arbitrate, another moderator or a coordinator may.
    await claim(ctx, a, 'arbitrate').expect(204);
    await claim(ctx, b).expect(204);
    const arb = await claim(ctx, coordinator, 'arbitrate').expect(200);
    expect(arb.body).toMatchObject({ reportId, kind: 'arbitrate', differingLines: [17, 18] });
    expect(arb.body.transcriptions).toEqual(
      expect.arrayContaining([
        { moderatorId: a.id, values: protocolValues() },
        { moderatorId: b.id, values: misread },
      ]),
    );
    const listed = await ctx
      .http()
      .get(`/api/review/tasks/${arb.body.taskId}/transcriptions`)
      .set(...bearer(coordinator))
      .expect(200);
    expect(listed.body.differingLines).toEqual([17, 18]);
    await ctx
      .http()
      .get(`/api/review/tasks/${ta.taskId}/transcriptions`)
      .set(...bearer(a))
      .expect(403);

    const final = protocolValues({ '17': 60, '18': 400 });
    const done = await submit(ctx, coordinator, arb.body.taskId, { values: final }).expect(200);
    expect(done.body.reportStatus).toBe('reviewed');
    const [report] = await ctx.db.query(`SELECT final_values FROM reports WHERE id = $1`, [reportId]);
    expect(report.final_values).toEqual(Object.values(final));
    const actions = (
      await ctx.db.query(`SELECT action FROM audit_log WHERE report_id = $1 ORDER BY id`, [reportId])
    ).map((r: { action: string }) => r.action);
    expect(actions.slice(-4)).toEqual(['task.claimed', 'task.submitted', 'report.arbitrated', 'report.reviewed']);
  });

  it('never gives one moderator the same report twice; the skipped task stays for others', async () => {
    const [reportId] = await newReportsAwaitingReview(ctx, world, 1);
    const [a, b] = [await ctx.newUser('moderator'), await ctx.newUser('moderator')];
    const ta = (await claim(ctx, a).expect(200)).body;
    await claim(ctx, a).expect(204); // holds round 1; round 2 is not for them
    await submit(ctx, a, ta.taskId, { values: protocolValues() }).expect(200);
    await claim(ctx, a).expect(204); // transcribed it; still not for them
    const tb = (await claim(ctx, b).expect(200)).body;
    expect(tb.reportId).toBe(reportId);
    const rows = await ctx.db.query(`SELECT DISTINCT moderator_id FROM review_tasks WHERE report_id = $1`, [reportId]);
    expect(rows).toHaveLength(2);
  });

  it('never gives one moderator both rounds of a report, even with claims at the same moment', async () => {
    const [reportId] = await newReportsAwaitingReview(ctx, world, 1);
    const a = await ctx.newUser('moderator');
    const answers = await Promise.all(Array.from({ length: 4 }, () => claim(ctx, a)));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 204, 204, 204]);
    const rows = await ctx.db.query(`SELECT moderator_id FROM review_tasks WHERE report_id = $1`, [reportId]);
    expect(rows).toEqual([{ moderator_id: a.id }]);
    // The other round went back to the queue for someone else.
    const b = await ctx.newUser('moderator');
    expect((await claim(ctx, b).expect(200)).body.reportId).toBe(reportId);
  });

  it('hands out 50 different tasks to 50 concurrent claims', async () => {
    await newReportsAwaitingReview(ctx, world, 25);
    const moderators = await Promise.all(Array.from({ length: 50 }, () => ctx.newUser('moderator')));
    const answers = await Promise.all(moderators.map((m) => claim(ctx, m)));
    expect(answers.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(new Set(answers.map((r) => r.body.taskId)).size).toBe(50);
    const jobs = await ctx.db.query(`SELECT count(DISTINCT job_id)::int AS n FROM review_tasks WHERE id = ANY($1)`, [
      answers.map((r) => r.body.taskId),
    ]);
    expect(jobs[0].n).toBe(50);
    await claim(ctx, await ctx.newUser('moderator')).expect(204);
  });

  it('refuses a broken error ratio without confirmation, accepts it with one, and stores warnings', async () => {
    const [reportId] = await newReportsAwaitingReview(ctx, world, 1);
    const a = await ctx.newUser('moderator');
    const task = (await claim(ctx, a).expect(200)).body;
    const broken = protocolValues({ '10': 781 }); // valid ≠ sum of votes, and boxes ≠ counted
    const refused = await submit(ctx, a, task.taskId, { values: broken }).expect(422);
    expect(refused.body.ratioViolations.map((v: { id: string }) => v.id).sort()).toEqual([
      'boxes_eq_counted',
      'valid_eq_votes',
    ]);
    expect(refused.body.message).toMatch(/confirmViolations/);
    expect(await ctx.db.query(`SELECT 1 FROM transcriptions WHERE report_id = $1`, [reportId])).toEqual([]);

    const withWarning = { ...broken, '4': 710, '5': 40, '7': 45, '8': 745, '9': 9 }; // L5 < L7: a warning
    const ok = await submit(ctx, a, task.taskId, { values: withWarning, confirmViolations: true }).expect(200);
    expect(
      ok.body.ratioViolations.map((v: { id: string; severity: string }) => `${v.id}:${v.severity}`).sort(),
    ).toEqual(['outside_ge_portable:warning', 'valid_eq_votes:error']);
    const [row] = await ctx.db.query(`SELECT confirmed_violations, warnings FROM transcriptions WHERE report_id = $1`, [
      reportId,
    ]);
    expect(row).toEqual({ confirmed_violations: ['valid_eq_votes'], warnings: ['outside_ge_portable'] });
  });

  it('answers bad submits with a 4xx naming the problem and changes nothing', async () => {
    const [reportId] = await newReportsAwaitingReview(ctx, world, 1);
    const [a, b] = [await ctx.newUser('moderator'), await ctx.newUser('moderator')];
    const task = (await claim(ctx, a).expect(200)).body;
    const bad = async (body: object, message: RegExp, status = 400) => {
      const res = await submit(ctx, a, task.taskId, body).expect(status);
      expect(res.body).toEqual({
        statusCode: status,
        error: expect.any(String),
        message: expect.stringMatching(message),
      });
    };
    const { '26': _, ...missing } = protocolValues();
    await bad({ values: missing }, /line 26 is missing/);
    await bad({ values: protocolValues({ '3': -1 }) }, /line 3 must be an integer/);
    await bad({ values: { ...protocolValues(), '4': 1.5 } }, /line 4 must be an integer/);
    await bad({ values: { ...protocolValues(), '4': '700' } }, /line 4 must be an integer/);
    await bad({ values: { ...protocolValues(), '99': 1 } }, /line 99 is not a line/);
    await bad({}, /either values or reject/);
    await bad({ reject: { reason: 'other' } }, /reject.text is required/);
    await bad({ reject: { reason: 'bored' } }, /reason must be one of/);
    await bad({ values: protocolValues(), extra: 1 }, /property extra should not exist/);
    await submit(ctx, b, task.taskId, { values: protocolValues() }).expect(403);
    await submit(ctx, a, '00000000-0000-0000-0000-000000000000', { values: protocolValues() }).expect(404);
    await submit(ctx, a, 'not-a-uuid', { values: protocolValues() }).expect(400);
    await claim(ctx, a, 'everything').expect(400);
    expect(await ctx.db.query(`SELECT 1 FROM transcriptions WHERE report_id = $1`, [reportId])).toEqual([]);
    await submit(ctx, a, task.taskId, { values: protocolValues() }).expect(200);
    await submit(ctx, a, task.taskId, { values: protocolValues() }).expect(409);
  });

  it('rejects a report on two rejects', async () => {
    const [reportId] = await newReportsAwaitingReview(ctx, world, 1);
    const [a, b] = [await ctx.newUser('moderator'), await ctx.newUser('moderator')];
    const ta = (await claim(ctx, a).expect(200)).body;
    const tb = (await claim(ctx, b).expect(200)).body;
    await submit(ctx, a, ta.taskId, { reject: { reason: 'illegible' } }).expect(200);
    const res = await submit(ctx, b, tb.taskId, { reject: { reason: 'other', text: 'a photo of a cat' } }).expect(200);
    expect(res.body).toEqual({ reportStatus: 'rejected', ratioViolations: [] });
    expect(await reportStatus(ctx, reportId)).toBe('rejected');
    const actions = (
      await ctx.db.query(`SELECT action FROM audit_log WHERE report_id = $1 ORDER BY id`, [reportId])
    ).map((r: { action: string }) => r.action);
    expect(actions.slice(-3)).toEqual(['task.rejected', 'task.rejected', 'report.rejected']);
  });

  it('returns a released task to the queue', async () => {
    const [reportId] = await newReportsAwaitingReview(ctx, world, 1, 1);
    const [a, b] = [await ctx.newUser('moderator'), await ctx.newUser('moderator')];
    const ta = (await claim(ctx, a).expect(200)).body;
    expect(await reportStatus(ctx, reportId)).toBe('in_review');
    await claim(ctx, b).expect(204);
    await ctx
      .http()
      .post(`/api/review/tasks/${ta.taskId}/release`)
      .set(...bearer(a))
      .expect(204);
    // Nobody works on it any more: its observer sees it waiting again.
    expect(await reportStatus(ctx, reportId)).toBe('awaiting_review');
    await ctx
      .http()
      .post(`/api/review/tasks/${ta.taskId}/release`)
      .set(...bearer(a))
      .expect(409);
    await submit(ctx, a, ta.taskId, { values: protocolValues() }).expect(409);
    const tb = (await claim(ctx, b).expect(200)).body;
    expect(tb.reportId).toBe(reportId);
    const actions = (
      await ctx.db.query(`SELECT action FROM audit_log WHERE report_id = $1 ORDER BY id`, [reportId])
    ).map((r: { action: string }) => r.action);
    expect(actions).toEqual(['task.claimed', 'task.released', 'task.claimed']);
  });

  it('gives coordinators per-moderator statistics', async () => {
    const res = await ctx
      .http()
      .get('/api/review/stats')
      .set(...bearer(coordinator))
      .expect(200);
    // The agreeing pair of the first test: one task each, both equal to the final values.
    const busy = res.body.items.find((s: { tasksDone: number; agreementRate: number }) => s.agreementRate === 1);
    expect(busy).toEqual({
      moderatorId: expect.any(String),
      email: expect.any(String),
      tasksDone: expect.any(Number),
      agreementRate: 1,
      medianSeconds: expect.any(Number),
    });
    await ctx
      .http()
      .get('/api/review/stats')
      .set(...bearer(await ctx.newUser('moderator')))
      .expect(403);
  });
});
