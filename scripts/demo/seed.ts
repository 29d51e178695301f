/*
 * Demo data for `npm start`, loaded through the public API like any client would: accounts for
 * every role, the Moscow 2021 election with its precincts and official results, and observer
 * reports whose photos are protocols rendered from the real numbers — some altered the way a
 * falsified count would be — taken through double-blind review and arbitration.
 */
import { hashPassword } from '@app/accounts';
import { ProtocolTemplate, ProtocolValues, Role } from '@app/domain';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Client } from 'pg';
import { renderProtocolPhoto } from './protocol-image';

export interface SeedOptions {
  url: string;
  databaseUrl: string;
  log: (line: string) => void;
}

export interface DemoAccount {
  role: Role;
  email: string;
}

export const DEMO_PASSWORD = 'demo-password';
export const DEMO_SLUG = 'duma-2021-moscow';
const MOSCOW_FILE = join(__dirname, '..', '..', '..', 'data', 'duma2021', 'results-2021-federal-moscow.csv.gz');

const ACCOUNTS: Array<DemoAccount & { name: string }> = [
  { role: 'admin', email: 'admin@demo.votecheck.local', name: 'Demo admin' },
  { role: 'coordinator', email: 'coordinator@demo.votecheck.local', name: 'Демо координатор' },
  { role: 'moderator', email: 'moderator1@demo.votecheck.local', name: 'Модератор Один' },
  { role: 'moderator', email: 'moderator2@demo.votecheck.local', name: 'Модератор Два' },
  { role: 'observer', email: 'observer@demo.votecheck.local', name: 'Наблюдатель' },
];

/** What a demo report's photo shows compared with the official numbers. */
type Scenario = 'match' | 'falsified' | 'awaiting' | 'disagree';
/** `share`: the part of the official ЕР votes that the falsified count added. */
const REPORTS: Array<{ number: string; scenario: Scenario; share?: number }> = [
  { number: '480', scenario: 'falsified', share: 0.35 },
  { number: '592', scenario: 'falsified', share: 0.2 },
  { number: '1210', scenario: 'falsified', share: 0.45 },
  { number: '481', scenario: 'match' },
  { number: '2001', scenario: 'match' },
  { number: '3110', scenario: 'match' },
  { number: '600', scenario: 'disagree' },
  { number: '601', scenario: 'awaiting' },
];
/** Precincts whose official numbers the second published version changes (481 has a report). */
const CORRECTED = ['481', '1500'];

class Api {
  constructor(
    private readonly base: string,
    private token?: string,
  ) {}

  as(token: string): Api {
    return new Api(this.base, token);
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = this.token ? { Authorization: `Bearer ${this.token}` } : {};
    let payload: FormData | string | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await fetch(this.base + path, { method, headers, body: payload });
    const text = await res.text();
    const parsed = text ? JSON.parse(text) : undefined;
    if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status}: ${parsed?.message ?? text}`);
    return { status: res.status, body: parsed as T };
  }
}

export async function seedDemoData({ url, databaseUrl, log }: SeedOptions): Promise<DemoAccount[]> {
  const accounts = ACCOUNTS.map(({ role, email }) => ({ role, email }));
  const api = new Api(url);
  if (await electionExists(api)) return accounts;
  log('Loading demo data (first start only)…');
  await createAccounts(databaseUrl);
  const tokens = new Map<string, string>();
  for (const a of ACCOUNTS) {
    const res = await api.call<{ accessToken: string }>('POST', '/api/auth/login', {
      email: a.email,
      password: DEMO_PASSWORD,
    });
    tokens.set(a.email, res.body.accessToken);
  }
  const token = (email: string) => api.as(tokens.get(email)!);
  const coordinator = token('coordinator@demo.votecheck.local');

  const election = await coordinator.call<{ template: ProtocolTemplate }>('POST', '/api/elections', {
    slug: DEMO_SLUG,
    name: 'Госдума 2021, федеральный список — Москва',
    date: '2021-09-19',
    templatePreset: 'ru-duma-2021-federal',
  });
  const template = election.body.template;
  await coordinator.call(
    'POST',
    `/api/elections/${DEMO_SLUG}/precincts`,
    fileForm(readFileSync(MOSCOW_FILE), 'moscow.csv.gz'),
  );
  log('  precincts: 3,660 Moscow precincts');
  await importOfficial(coordinator, readFileSync(MOSCOW_FILE), 'moscow.csv.gz');
  log('  official results: version 1 imported');

  const observer = token('observer@demo.votecheck.local');
  const planned = new Map<string, { scenario: Scenario; values: ProtocolValues }>();
  for (const report of REPORTS) {
    const official = await officialValues(databaseUrl, template, report.number);
    const shift = Math.round(official.values['17'] * (report.share ?? 0));
    const values = report.scenario === 'falsified' ? unfalsify(official.values, shift) : official.values;
    const photo = await renderProtocolPhoto(template, values, official.precinct, {
      rotate: report.scenario === 'match' ? -1.2 : 1.6,
    });
    const form = new FormData();
    form.set('region', official.precinct.region);
    form.set('number', report.number);
    form.set('clientReportId', randomUUID());
    form.set(
      'comment',
      report.scenario === 'falsified' ? 'Копия протокола получена после подсчёта, подписана всеми членами УИК.' : '',
    );
    form.append('photos', new Blob([photo], { type: 'image/jpeg' }), 'protocol.jpg');
    const res = await observer.call<{ id: string }>('POST', `/api/elections/${DEMO_SLUG}/reports`, form);
    planned.set(res.body.id, { scenario: report.scenario, values });
  }
  log(`  reports: ${planned.size} observer reports with rendered protocol photos`);
  await waitUntil(async () => {
    const { body } = await observer.call<{ items: Array<{ status: string }> }>('GET', '/api/reports?mine=true');
    return body.items.every((r) => r.status === 'awaiting_review');
  }, 'photo processing');

  await transcribe(token('moderator1@demo.votecheck.local'), planned, 'first');
  await transcribe(token('moderator2@demo.votecheck.local'), planned, 'second');
  log('  review: two moderators transcribed the reports; one waits for arbitration, one for review');

  await importOfficial(coordinator, correctedFile(template), 'moscow-corrected.csv');
  log(`  official results: version 2 changes precincts ${CORRECTED.join(' and ')} after publication`);
  return accounts;
}

/**
 * Each moderator works through the queue. The "awaiting" report is left for the visitor: its
 * task is held until the queue is empty (a released task goes back to the front), then released.
 */
async function transcribe(
  moderator: Api,
  planned: Map<string, { scenario: Scenario; values: ProtocolValues }>,
  pass: 'first' | 'second',
): Promise<void> {
  const held: string[] = [];
  for (;;) {
    const claim = await moderator.call<{ taskId: string; reportId: string }>('POST', '/api/review/claim');
    if (claim.status === 204) break;
    const { taskId, reportId } = claim.body;
    const plan = planned.get(reportId);
    if (!plan || plan.scenario === 'awaiting') {
      held.push(taskId);
      continue;
    }
    const values = { ...plan.values };
    // The second moderator misreads one line of the "disagree" report: a coordinator settles it.
    if (plan.scenario === 'disagree' && pass === 'second') values['17'] = values['17'] + 10;
    await moderator.call('POST', `/api/review/tasks/${taskId}/submit`, { values, confirmViolations: true });
  }
  for (const taskId of held) await moderator.call('POST', `/api/review/tasks/${taskId}/release`);
}

/** The protocol as counted, before `shift` votes were moved to ЕР (line 17) in the official result. */
export function unfalsify(official: ProtocolValues, shift: number): ProtocolValues {
  const v = { ...official };
  v['17'] -= shift; // votes for ЕР
  v['10'] -= shift; // valid ballots
  v['8'] -= shift; // ballots in stationary boxes
  v['4'] -= shift; // ballots issued in the polling room
  v['6'] += shift; // cancelled ballots: the control ratios still hold on the photo
  return v;
}

async function officialValues(databaseUrl: string, template: ProtocolTemplate, number: string) {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT p.region, p.district, p.number, r.line_values
         FROM precincts p JOIN elections e ON e.id = p.election_id
         JOIN official_results r ON r.precinct_id = p.id
         JOIN official_imports i ON i.id = r.import_id AND i.status = 'done'
        WHERE e.slug = $1 AND p.region = 'город Москва' AND p.number = $2
        ORDER BY i.version DESC LIMIT 1`,
      [DEMO_SLUG, number],
    );
    if (!rows.length) throw new Error(`demo precinct ${number} has no official result`);
    const values = Object.fromEntries(template.lines.map((l, i) => [String(l.n), rows[0].line_values[i] as number]));
    return { precinct: { region: rows[0].region, district: rows[0].district, number }, values };
  } finally {
    await client.end();
  }
}

async function createAccounts(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const hash = await hashPassword(DEMO_PASSWORD);
    for (const a of ACCOUNTS) {
      await client.query(
        `INSERT INTO users (email, password_hash, role, display_name) VALUES ($1, $2, $3, $4)
         ON CONFLICT (lower(email)) DO NOTHING`,
        [a.email, hash, a.role, a.name],
      );
    }
  } finally {
    await client.end();
  }
}

/** Uploads an official-results file and waits until the worker has imported it. */
async function importOfficial(coordinator: Api, file: Buffer, name: string): Promise<void> {
  const { body } = await coordinator.call<{ importId: string }>(
    'POST',
    `/api/elections/${DEMO_SLUG}/official-results`,
    fileForm(file, name),
  );
  await waitUntil(async () => {
    const { body: status } = await coordinator.call<{ status: string }>('GET', `/api/imports/${body.importId}`);
    if (status.status === 'failed') throw new Error(`demo data: the import of ${name} failed`);
    return status.status === 'done';
  }, `the import of ${name}`);
}

/** The Moscow file with 30 more ЕР votes in the `CORRECTED` precincts: a "corrected" publication. */
function correctedFile(template: ProtocolTemplate): Buffer {
  const rows = parse(gunzipSync(readFileSync(MOSCOW_FILE))) as string[][];
  const header = rows[0];
  const columns = template.lines.map((l) => header.indexOf(l.column ?? l.label));
  for (const number of CORRECTED) {
    const row = rows.find((r) => r[header.indexOf('uik')] === `УИК №${number}`);
    if (!row) throw new Error(`demo data: precinct ${number} is not in the Moscow file`);
    const values = Object.fromEntries(template.lines.map((l, i) => [String(l.n), Number(row[columns[i]])]));
    const changed = unfalsify(values, -30);
    template.lines.forEach((l, i) => (row[columns[i]] = String(changed[String(l.n)])));
  }
  return Buffer.from(stringify(rows));
}

async function electionExists(api: Api): Promise<boolean> {
  try {
    await api.call('GET', `/api/elections/${DEMO_SLUG}`);
    return true;
  } catch {
    return false;
  }
}

function fileForm(bytes: Buffer, name: string): FormData {
  const form = new FormData();
  form.append('file', new Blob([bytes]), name);
  return form;
}

async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`demo data: ${what} did not finish in ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
