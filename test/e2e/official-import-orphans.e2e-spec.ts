import { importFilePath, OrphanImportFilesSweeper } from '@app/official-results';
import { randomUUID } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { MOSCOW_CSV } from '../support/data';
import { uploadOfficial } from '../support/official';
import { TestContext } from '../support/test-context';

const HOURS_AGO = (h: number) => new Date(Date.now() - h * 3600 * 1000);

/** Uploaded official files that an API left behind when it died before the import's commit are swept; nothing else is. */
describe('orphan official-results files sweep', () => {
  let ctx: TestContext;
  const stored = (relative: string) => join(ctx.env.STORAGE_DIR, relative);

  beforeAll(async () => {
    ctx = await TestContext.create();
  });
  afterAll(() => ctx.close());

  /** A file in the imports folder, last written `age` ago. */
  async function strayFile(name: string, age: Date): Promise<string> {
    const path = stored(importFilePath(name));
    writeFileSync(path, 'region,number\n');
    await utimes(path, age, age);
    return path;
  }

  it('removes old partial files and old files without an import, keeps imports, recent files and foreign names', async () => {
    const admin = await ctx.newUser('admin');
    const election = await ctx.newElection(admin);
    // No worker here: the import stays queued, its file in place.
    const importId = await uploadOfficial(ctx, admin, election.slug, MOSCOW_CSV, 'moscow.csv');
    const imported = stored(importFilePath(importId));
    await utimes(imported, HOURS_AGO(3), HOURS_AGO(3));
    const partial = await strayFile(`${randomUUID()}.part`, HOURS_AGO(2));
    const rowless = await strayFile(randomUUID(), HOURS_AGO(2));
    const uploading = await strayFile(`${randomUUID()}.part`, new Date());
    const renamed = await strayFile(randomUUID(), new Date());
    const foreign = await strayFile('README.txt', HOURS_AGO(5));

    const sweeper = ctx.api.get(OrphanImportFilesSweeper);
    expect(await sweeper.sweep()).toBe(2);
    expect(existsSync(partial)).toBe(false);
    expect(existsSync(rowless)).toBe(false);
    expect(existsSync(imported)).toBe(true);
    // May be uploads in flight: an API writing its file, or about to commit the import's row.
    expect(existsSync(uploading)).toBe(true);
    expect(existsSync(renamed)).toBe(true);
    expect(existsSync(foreign)).toBe(true);
    expect(await sweeper.sweep()).toBe(0);
  });
});
