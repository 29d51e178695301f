import { ArgumentsHost, Logger, NotFoundException } from '@nestjs/common';
import { Client } from 'pg';
import { QueryFailedError } from 'typeorm';
import { ErrorBody, HttpExceptionFilter } from './http-exception.filter';

/** What PostgreSQL itself answers to `sql`, as TypeORM hands it on. */
async function failureOf(sql: string, params: unknown[] = []): Promise<QueryFailedError> {
  const client = new Client({
    connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  });
  await client.connect();
  try {
    await client.query(sql, params);
  } catch (e) {
    return new QueryFailedError(sql, params, e as Error);
  } finally {
    await client.end();
  }
  throw new Error(`${sql} did not fail`);
}

/** The status and body the filter answers `exception` with. */
function answer(exception: unknown): { status: number; body: ErrorBody } {
  const sent: { status: number; body: ErrorBody } = { status: 0, body: {} as ErrorBody };
  const response = {
    headersSent: false,
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: ErrorBody) {
      sent.body = body;
    },
  };
  const host = {
    switchToHttp: () => ({ getResponse: () => response, getRequest: () => ({ method: 'GET', url: '/api/x' }) }),
  } as unknown as ArgumentsHost;
  new HttpExceptionFilter().catch(exception, host);
  return sent;
}

describe('HttpExceptionFilter', () => {
  // The 500 below is logged with its stack, as in production: not wanted in the test output.
  beforeAll(() => Logger.overrideLogger(false));

  it('answers a number past its column (PostgreSQL 22003) with a 400, not a 500', async () => {
    expect(answer(await failureOf(`SELECT 99999999999::int`))).toEqual({
      status: 400,
      body: { statusCode: 400, error: 'Bad Request', message: 'A number in the request is out of range' },
    });
  });

  it('answers text holding a NUL character (22021) with a 400', async () => {
    expect(answer(await failureOf(`SELECT $1::text`, ['a\u0000b']))).toEqual({
      status: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        message: 'Text in the request holds a NUL character (\\u0000), which cannot be stored',
      },
    });
  });

  it('answers an identifier PostgreSQL cannot read (22P02) with a 400', async () => {
    expect(answer(await failureOf(`SELECT 'nope'::uuid`)).status).toBe(400);
  });

  it('keeps an HttpException as it is and hides anything else behind a 500', async () => {
    expect(answer(new NotFoundException('No such thing')).body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'No such thing',
    });
    const defect = answer(await failureOf(`SELECT * FROM no_such_table`));
    expect(defect).toEqual({
      status: 500,
      body: { statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' },
    });
  });
});
