import { hashPassword } from '@app/accounts';
import { Role } from '@app/domain';
import { OutboxRelay, ReconcilerService } from '@app/queue';
import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ApiModule } from '../../apps/api/src/api.module';
import { configureApi } from '../../apps/api/src/setup';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { databaseUrl, runId, templateDatabase, TEST_REDIS_URL, withAdminClient } from './test-env';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  role: Role;
  token: string;
}

export interface TestContextOptions {
  /** Also start the queue worker in this process (default false). */
  worker?: boolean;
  /** Extra environment for the apps (e.g. REVIEWS_REQUIRED). */
  env?: Record<string, string>;
  /** Serve the built web UI and listen on a real port (for browser tests): see `ctx.url`. */
  webUi?: boolean;
}

let counter = 0;

/**
 * One isolated world per test file: its own database (cloned from the run's migrated template),
 * its own Redis key prefix and storage folder, an API app and optionally a worker, plus small
 * factories. `await ctx.close()` in afterAll.
 */
export class TestContext {
  readonly dbName: string;
  readonly redisPrefix: string;
  readonly storageDir: string;
  readonly env: Record<string, string>;
  api!: INestApplication;
  /** Base URL when started with `webUi: true`, e.g. http://127.0.0.1:41234 */
  url = '';
  worker?: INestApplicationContext;
  db!: DataSource;

  private constructor(private readonly options: TestContextOptions) {
    const run = runId();
    const suffix = `${process.pid}_${++counter}_${randomBytes(2).toString('hex')}`;
    this.dbName = `vc_test_${run}_${suffix}`;
    this.redisPrefix = `vc_test_${run}_${suffix}`;
    this.storageDir = mkdtempSync(join(tmpdir(), 'votecheck-test-'));
    this.env = {
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl(this.dbName),
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: this.redisPrefix,
      STORAGE_DIR: join(this.storageDir, 'storage'),
      VAR_DIR: join(this.storageDir, 'var'),
      JWT_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: process.env.TEST_LOG_LEVEL || 'error',
      RECONCILE_INTERVAL_MS: '500',
      DEMO_DATA: 'false',
      ...options.env,
    };
  }

  static async create(options: TestContextOptions = {}): Promise<TestContext> {
    const ctx = new TestContext(options);
    await ctx.start();
    return ctx;
  }

  private async start(): Promise<void> {
    const template = templateDatabase(runId());
    for (let attempt = 0; ; attempt++) {
      try {
        await withAdminClient((c) => c.query(`CREATE DATABASE ${this.dbName} TEMPLATE ${template}`));
        break;
      } catch (e) {
        // Two clones of one template at the same moment can collide; try again shortly.
        if (attempt >= 20 || !/being accessed by other users/.test((e as Error).message)) throw e;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
    Object.assign(process.env, this.env);
    const apiModule = await Test.createTestingModule({ imports: [ApiModule] }).compile();
    this.api = configureApi(apiModule.createNestApplication({ bufferLogs: true }), { webUi: !!this.options.webUi });
    await this.api.init();
    if (this.options.webUi) {
      await this.api.listen(0, '127.0.0.1');
      this.url = await this.api.getUrl();
      this.url = this.url.replace('[::1]', '127.0.0.1');
    }
    this.db = this.api.get(DataSource);
    if (this.options.worker) await this.startWorker();
  }

  async startWorker(): Promise<INestApplicationContext> {
    const workerModule = await Test.createTestingModule({ imports: [WorkerModule] }).compile();
    const worker = await workerModule.init();
    this.worker = worker;
    return worker;
  }

  async stopWorker(): Promise<void> {
    await this.worker?.close();
    this.worker = undefined;
  }

  http() {
    return request(this.api.getHttpServer());
  }

  /** Moves every outbox row to BullMQ now, instead of waiting for the relay's timer. */
  async relayOutbox(): Promise<void> {
    await this.api.get(OutboxRelay).drain();
  }

  /** Runs every reconcile task once (needs the worker). */
  async reconcile(): Promise<Record<string, unknown>> {
    if (!this.worker) throw new Error('reconcile() needs the worker: TestContext.create({ worker: true })');
    return this.worker.get(ReconcilerService).runOnce();
  }

  /** Creates an account directly in the database and logs it in through the API. */
  async newUser(role: Role, overrides: { email?: string; password?: string } = {}): Promise<TestUser> {
    const email = overrides.email ?? `${role}-${randomUUID().slice(0, 8)}@test.votecheck.local`;
    const password = overrides.password ?? `pw-${randomBytes(6).toString('hex')}`;
    const [{ id }] = await this.db.query(
      `INSERT INTO users (email, password_hash, role) VALUES ($1, $2, $3) RETURNING id`,
      [email, await hashPassword(password), role],
    );
    const res = await this.http().post('/api/auth/login').send({ email, password }).expect(200);
    return { id, email, password, role, token: res.body.accessToken };
  }

  /** Creates an election on a preset (default: the 2021 Duma federal list) through the API. */
  async newElection(
    admin: TestUser,
    body: Record<string, unknown> = { templatePreset: 'ru-duma-2021-federal' },
  ): Promise<{ slug: string; id: string; template: Record<string, unknown> }> {
    const slug = `e-${randomBytes(4).toString('hex')}`;
    const res = await this.http()
      .post('/api/elections')
      .set('Authorization', `Bearer ${admin.token}`)
      .send({ slug, name: `Election ${slug}`, date: '2021-09-19', ...body })
      .expect(201);
    return res.body;
  }

  async close(): Promise<void> {
    await this.stopWorker();
    await this.api?.close();
    await withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS ${this.dbName} WITH (FORCE)`));
    rmSync(this.storageDir, { recursive: true, force: true });
  }
}

export const bearer = (user: { token: string }): [string, string] => ['Authorization', `Bearer ${user.token}`];
