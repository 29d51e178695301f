import { CsvFormatError, stageCsv } from '@app/database';
import { PassThrough } from 'node:stream';
import { TestContext } from '../support/test-context';

describe('stageCsv', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await TestContext.create();
  });
  afterAll(() => ctx.close());

  /** Stages `source` in a transaction that is rolled back; `onHeaders` runs at the header check. */
  const stage = async (source: PassThrough, onHeaders: () => void = () => undefined) => {
    const runner = ctx.db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      return await stageCsv(runner, source, { checkHeaders: onHeaders });
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  };

  it('stages a file and counts its rows', async () => {
    const source = new PassThrough();
    source.end('a,b\n1,2\n3,4\n');
    expect(await stage(source)).toMatchObject({ headers: ['a', 'b'], rows: 2 });
  });

  it('fails, rather than waits, when its source is closed while the header is checked', async () => {
    const source = new PassThrough();
    source.write('a,b\n1,2\n');
    const staged = stage(source, () => {
      source.destroy(new Error('another part failed'));
    });
    await expect(staged).rejects.toThrow(CsvFormatError);
    await expect(staged).rejects.toThrow(/another part failed/);
  });

  it('fails, rather than waits, when its source is closed without an error before its end', async () => {
    const source = new PassThrough();
    source.write('a,b\n1,2\n');
    const staged = stage(source);
    setTimeout(() => source.destroy(), 50);
    await expect(staged).rejects.toThrow(/closed before its end/);
  });
});
