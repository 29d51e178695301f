import { OrphanOriginalsSweeper } from '@app/reports';
import { PhotoStorage } from '@app/storage';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { utimes } from 'node:fs/promises';
import { newPrecinct, postReport, protocolJpeg } from '../support/reports';
import { TestContext } from '../support/test-context';

const HOURS_AGO = (h: number) => new Date(Date.now() - h * 3600 * 1000);

/** Originals that a request linked and then died before its commit are swept; nothing else is. */
describe('orphan originals sweep', () => {
  let ctx: TestContext;
  let storage: PhotoStorage;

  beforeAll(async () => {
    ctx = await TestContext.create();
    storage = ctx.api.get(PhotoStorage);
  });
  afterAll(() => ctx.close());

  /** Bytes linked to their content address with no photo row, as a crashed upload leaves them. */
  async function strayOriginal(age: Date): Promise<string> {
    const bytes = randomBytes(1024);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const temp = storage.tempPath();
    writeFileSync(temp, bytes);
    await storage.linkOriginal(temp, sha);
    await storage.removeTemp(temp);
    await storage.writeDerivative(sha, 'thumb', Buffer.from('RIFF....WEBP'));
    await utimes(storage.originalPath(sha), age, age);
    return sha;
  }

  it('removes old unreferenced originals with their derivatives, keeps referenced and recent ones', async () => {
    const admin = await ctx.newUser('admin');
    const observer = await ctx.newUser('observer');
    const election = await ctx.newElection(admin);
    const precinct = await newPrecinct(ctx, election.id);
    const photo = await protocolJpeg({ seed: 31 });
    await postReport(ctx, election.slug, observer, {
      region: precinct.region,
      number: precinct.number,
      photos: [{ data: photo }],
    }).expect(202);
    const kept = createHash('sha256').update(photo).digest('hex');
    await utimes(storage.originalPath(kept), HOURS_AGO(3), HOURS_AGO(3));
    const orphan = await strayOriginal(HOURS_AGO(2));
    const recent = await strayOriginal(new Date());

    expect(await ctx.api.get(OrphanOriginalsSweeper).sweep()).toBe(1);
    expect(existsSync(storage.originalPath(orphan))).toBe(false);
    expect(existsSync(storage.derivativePath(orphan, 'thumb'))).toBe(false);
    expect(existsSync(storage.originalPath(kept))).toBe(true);
    expect(existsSync(storage.originalPath(recent))).toBe(true); // may be an upload in flight
    expect(await ctx.api.get(OrphanOriginalsSweeper).sweep()).toBe(0);
  });
});
