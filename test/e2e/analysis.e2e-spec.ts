import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importOfficialResults, reviewedReport } from '../support/analysis';
import { MOSCOW_CSV } from '../support/data';
import { TestContext, TestUser } from '../support/test-context';

const KPRF = 13;
const ER = 17;
const KPRF_PAPER_DISTRICTS = [196, 197, 198, 200, 201, 205, 206, 207, 209, 210].map((n) => `ОИК №${n}`);

interface Line {
  n: number;
  key: string;
  votes: number;
  share: number;
}
interface Side {
  precincts: number;
  valid: number;
  lines: Line[];
  leader: { n: number; key: string } | null;
}
interface Area {
  region: string;
  district?: string;
  paper: Side;
  evoting: Side;
  combined: Side;
  reversed: boolean;
  swing: number | null;
  observed: (Omit<Area, 'observed' | 'region'> & { official: Omit<Area, 'observed' | 'region'> }) | null;
}

const share = (side: Side, n: number) => side.lines.find((l) => l.n === n)!.share;

/** The Moscow file with the e-voting votes of ОИК №196 for КПРФ and Единая Россия swapped. */
function moscowWithSwappedEvoting196(): string {
  const lines = readFileSync(MOSCOW_CSV, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(',ОИК №196,') && l.includes(',УИК №5001,'));
  const cells = lines[i].split(',');
  // Columns 17 and 21 are lines 13 (КПРФ) and 17 (ЕР); control ratios keep holding.
  [cells[17], cells[21]] = [cells[21], cells[17]];
  lines[i] = cells.join(',');
  const file = join(mkdtempSync(join(tmpdir(), 'analysis-')), 'moscow-v2.csv');
  writeFileSync(file, lines.join('\n'));
  return file;
}

describe('e-voting reversal report and forensics on the Moscow 2021 results', () => {
  let ctx: TestContext;
  let admin: TestUser;
  let observer: TestUser;
  let election: { slug: string; id: string };

  beforeAll(async () => {
    ctx = await TestContext.create({ worker: true });
    admin = await ctx.newUser('admin');
    observer = await ctx.newUser('observer');
    election = await ctx.newElection(admin);
    await importOfficialResults(ctx, admin, election.slug, MOSCOW_CSV);
  });
  afterAll(() => ctx.close());

  it('reproduces the paper and e-voting shares of Moscow', async () => {
    const res = await ctx.http().get(`/api/elections/${election.slug}/analysis/evoting`).expect(200);
    expect(res.body.version).toBe(1);
    expect(res.body.regions).toHaveLength(1);
    const moscow: Area = res.body.regions[0];
    expect(moscow.region).toBe('город Москва');
    expect(moscow.paper.precincts).toBe(3645);
    expect(moscow.evoting.precincts).toBe(15);
    expect(moscow.combined.precincts).toBe(3660);
    expect(share(moscow.paper, KPRF).toFixed(2)).toBe('30.36');
    expect(share(moscow.paper, ER).toFixed(2)).toBe('30.16');
    expect(share(moscow.evoting, KPRF).toFixed(2)).toBe('15.53');
    expect(share(moscow.evoting, ER).toFixed(2)).toBe('44.77');
    expect(moscow.paper.leader).toEqual({ n: KPRF, key: 'kprf' });
    expect(moscow.combined.leader).toEqual({ n: ER, key: 'er' });
    expect(moscow.reversed).toBe(true);
    expect(moscow.paper.lines.map((l) => l.n)).toEqual([13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26]);
    const votes = moscow.paper.lines.reduce((s, l) => s + l.votes, 0);
    expect(votes).toBe(moscow.paper.valid);
    expect(moscow.observed).toBeNull();
  });

  it('finds КПРФ ahead on paper in exactly the 10 districts and Единая Россия ahead in all 15 combined', async () => {
    const res = await ctx.http().get(`/api/elections/${election.slug}/analysis/evoting`).expect(200);
    const districts: Area[] = res.body.districts;
    expect(districts.map((d) => d.district)).toEqual(Array.from({ length: 15 }, (_, i) => `ОИК №${196 + i}`));
    expect(districts.filter((d) => d.paper.leader?.n === KPRF).map((d) => d.district)).toEqual(KPRF_PAPER_DISTRICTS);
    expect(districts.every((d) => d.combined.leader?.n === ER)).toBe(true);
    expect(districts.filter((d) => d.reversed).map((d) => d.district)).toEqual(KPRF_PAPER_DISTRICTS);
    for (const d of districts) {
      expect(d.evoting.precincts).toBe(1);
      const margin = (s: Side) => share(s, KPRF) - share(s, ER);
      if (d.reversed) {
        // Swing: the paper leader's margin over the new leader, combined minus paper.
        expect(d.swing).toBeCloseTo(margin(d.combined) - margin(d.paper), 3);
        expect(d.swing!).toBeLessThan(-margin(d.paper));
      } else {
        // Единая Россия led on paper already; the e-voting units widened its lead.
        expect(d.paper.leader?.n).toBe(ER);
        expect(d.swing!).toBeGreaterThan(0);
      }
    }
  });

  it('filters by region and refuses unknown regions, elections and parameters', async () => {
    const one = await ctx
      .http()
      .get(`/api/elections/${election.slug}/analysis/evoting`)
      .query({ region: 'город Москва' })
      .expect(200);
    expect(one.body.districts).toHaveLength(15);
    const unknown = await ctx
      .http()
      .get(`/api/elections/${election.slug}/analysis/evoting`)
      .query({ region: 'Атлантида' })
      .expect(404);
    expect(unknown.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    expect(unknown.body.message).toContain('Атлантида');
    await ctx.http().get(`/api/elections/no-such-election/analysis/evoting`).expect(404);
    const bad = await ctx.http().get(`/api/elections/${election.slug}/analysis/evoting`).query({ foo: 1 }).expect(400);
    expect(bad.body.message).toContain('foo');
  });

  it('answers 404 with a clear message before any official results exist', async () => {
    const empty = await ctx.newElection(admin);
    for (const path of ['evoting', 'forensics', 'evoting.csv', 'forensics/turnout.csv']) {
      const res = await ctx.http().get(`/api/elections/${empty.slug}/analysis/${path}`).expect(404);
      expect(res.body.message).toMatch(/No official results/);
    }
  });

  it('puts reviewed observer protocols beside the official numbers of the same precincts', async () => {
    const [precinct] = await ctx.db.query(
      `SELECT p.id, r.line_values FROM precincts p JOIN official_results r ON r.precinct_id = p.id
        WHERE p.election_id = $1 AND p.district = 'ОИК №196' AND NOT p.evoting ORDER BY p.id LIMIT 1`,
      [election.id],
    );
    const official: number[] = precinct.line_values;
    const observed = [...official];
    // The observer's protocol gives 100 of Единая Россия's votes to КПРФ.
    observed[ER - 1] -= 100;
    observed[KPRF - 1] += 100;
    const older = [...official];
    older[KPRF - 1] += 5000;
    await reviewedReport(ctx, {
      electionId: election.id,
      precinctId: precinct.id,
      observerId: observer.id,
      finalValues: older,
      reviewedAt: new Date(Date.now() - 60_000),
    });
    await reviewedReport(ctx, {
      electionId: election.id,
      precinctId: precinct.id,
      observerId: observer.id,
      finalValues: observed,
    });
    const res = await ctx.http().get(`/api/elections/${election.slug}/analysis/evoting`).expect(200);
    const d196: Area = res.body.districts.find((d: Area) => d.district === 'ОИК №196');
    const d197: Area = res.body.districts.find((d: Area) => d.district === 'ОИК №197');
    expect(d197.observed).toBeNull();
    const o = d196.observed!;
    expect(o.paper.precincts).toBe(1);
    expect(o.evoting.precincts).toBe(0);
    expect(o.evoting.leader).toBeNull();
    expect(o.official.paper.precincts).toBe(1);
    const votes = (s: Side, n: number) => s.lines.find((l) => l.n === n)!.votes;
    // The newest reviewed protocol counts, not the older one.
    expect(votes(o.paper, KPRF)).toBe(official[KPRF - 1] + 100);
    expect(votes(o.official.paper, KPRF)).toBe(official[KPRF - 1]);
    expect(votes(o.paper, ER) - votes(o.official.paper, ER)).toBe(-100);
    expect(share(o.paper, KPRF)).toBeCloseTo((100 * (official[KPRF - 1] + 100)) / official[9], 3);
    expect(res.body.regions[0].observed.paper.precincts).toBe(1);
  });

  it('serves the report as CSV', async () => {
    const res = await ctx.http().get(`/api/elections/${election.slug}/analysis/evoting.csv`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toContain('evoting.csv');
    const rows = res.text
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(rows[0]).toBe('level,region,district,mode,precincts,valid,n,key,votes,share,leader,reversed,swing');
    // (1 region + 15 districts) × 3 modes × 14 lines.
    expect(rows).toHaveLength(1 + 16 * 3 * 14);
    const kprfPaper = rows.find((r) => r.startsWith('region,город Москва,,paper,3645,'));
    expect(kprfPaper).toMatch(/,13,kprf,577588,30\.36\d*,kprf,true,/);
  });

  it('computes turnout and leader-share histograms, the heatmap and high-turnout ballots', async () => {
    const res = await ctx.http().get(`/api/elections/${election.slug}/analysis/forensics`).expect(200);
    const f = res.body;
    expect(f.precincts).toBe(3645);
    expect(f.evotingUnitsExcluded).toBe(15);
    // On paper alone КПРФ has the most votes in Moscow.
    expect(f.leader).toMatchObject({ n: KPRF, key: 'kprf' });
    expect(f.leader.share.toFixed(2)).toBe('30.36');
    expect(f.turnoutHistogram).toHaveLength(101);
    expect(f.turnoutHistogram[0]).toEqual({ pct: 0, count: expect.any(Number), ballots: expect.any(Number) });
    const sum = (bins: Array<{ count: number; ballots: number }>, k: 'count' | 'ballots') =>
      bins.reduce((s, b) => s + b[k], 0);
    expect(sum(f.turnoutHistogram, 'count')).toBe(3645 - f.noRegistered);
    expect(sum(f.turnoutHistogram, 'ballots')).toBe(f.ballots);
    expect(sum(f.leaderShareHistogram, 'count')).toBeLessThanOrEqual(3645);
    expect(f.heatmap.bins).toHaveLength(101);
    expect(f.heatmap.cells).toHaveLength(100);
    expect(f.heatmap.cells.every((c: number[]) => c.length === 100)).toBe(true);
    expect(f.heatmap.cells.flat().reduce((s: number, v: number) => s + v, 0)).toBe(
      sum(f.leaderShareHistogram, 'count'),
    );
    expect(f.highTurnoutShare).toBeGreaterThanOrEqual(0);
    expect(f.highTurnoutShare).toBeLessThan(0.1);

    // The same figures straight from the rows, as a check of the binning.
    const [check] = await ctx.db.query(
      `SELECT count(*) FILTER (WHERE 100 * (v[3] + v[4] + v[5]) >= 50 * v[1] AND 100 * (v[3] + v[4] + v[5]) < 51 * v[1])::int AS bin50,
              coalesce(sum(v[3] + v[4] + v[5]) FILTER (WHERE 100 * (v[3] + v[4] + v[5]) > 80 * v[1]), 0)::float8
                / sum(v[3] + v[4] + v[5]) AS high
         FROM (SELECT r.line_values v FROM official_results r JOIN precincts p ON p.id = r.precinct_id
                WHERE p.election_id = $1 AND NOT p.evoting) x`,
      [election.id],
    );
    expect(f.turnoutHistogram[50].count).toBe(check.bin50);
    expect(f.highTurnoutShare).toBeCloseTo(check.high, 10);
    expect(f.integerPercent.turnout.observed).toBeGreaterThanOrEqual(0);
    expect(f.integerPercent.turnout.expected).toBeGreaterThan(0);
  });

  it('takes bin widths, a region, and refuses bad ones', async () => {
    const path = `/api/elections/${election.slug}/analysis/forensics`;
    const fine = await ctx.http().get(path).query({ region: 'город Москва', binWidth: 0.5, cellWidth: 5 }).expect(200);
    expect(fine.body.turnoutHistogram).toHaveLength(201);
    expect(fine.body.turnoutHistogram[3].pct).toBe(1.5);
    expect(fine.body.heatmap.cells).toHaveLength(20);
    expect(fine.body.heatmap.bins.slice(0, 3)).toEqual([0, 5, 10]);
    const bad = await ctx.http().get(path).query({ binWidth: 3 }).expect(400);
    expect(bad.body.message).toContain('binWidth');
    await ctx.http().get(path).query({ cellWidth: 'x' }).expect(400);
    await ctx.http().get(path).query({ region: 'Атлантида' }).expect(404);
  });

  it('serves each forensic chart as CSV', async () => {
    const base = `/api/elections/${election.slug}/analysis/forensics`;
    const turnout = await ctx.http().get(`${base}/turnout.csv`).expect(200);
    expect(turnout.headers['content-type']).toMatch(/^text\/csv/);
    const t = turnout.text
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(t[0]).toBe('pct,precincts,ballots');
    expect(t).toHaveLength(102);
    const share = await ctx.http().get(`${base}/leader-share.csv`).query({ binWidth: 2 }).expect(200);
    expect(share.text.trim().split('\r\n')).toHaveLength(52);
    const heat = await ctx.http().get(`${base}/heatmap.csv`).expect(200);
    const h = heat.text
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(h[0]).toBe('turnout_pct,leader_share_pct,precincts,ballots');
    const total = h.slice(1).reduce((s, r) => s + Number(r.split(',')[2]), 0);
    const json = await ctx.http().get(base).expect(200);
    expect(total).toBe(json.body.heatmap.cells.flat().reduce((s: number, v: number) => s + v, 0));
  });

  it('follows the latest official version', async () => {
    await importOfficialResults(ctx, admin, election.slug, moscowWithSwappedEvoting196());
    const res = await ctx.http().get(`/api/elections/${election.slug}/analysis/evoting`).expect(200);
    expect(res.body.version).toBe(2);
    const districts: Area[] = res.body.districts;
    const d196 = districts.find((d) => d.district === 'ОИК №196')!;
    expect(d196.combined.leader?.n).toBe(KPRF);
    expect(d196.reversed).toBe(false);
    expect(districts.filter((d) => d.reversed)).toHaveLength(9);
  });
});
