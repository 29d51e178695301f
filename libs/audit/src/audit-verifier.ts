import { DataSource } from 'typeorm';
import { auditHash } from './audit-hash';

export interface VerifyResult {
  ok: boolean;
  entries: number;
  problems: string[];
}

const MAX_PROBLEMS = 100;
const GENESIS_HASH = '0'.repeat(64);

interface Head {
  lastId: string | null;
  lastHash: string;
}

/**
 * Walks every stream's chain in one snapshot: an edited entry no longer matches its hash, a
 * deleted or inserted one breaks the link of the entry after it, and entries deleted at the end
 * of a stream (or a whole stream's) no longer reach the head that audit_streams keeps for it.
 */
export async function verifyAuditLog(dataSource: DataSource): Promise<VerifyResult> {
  const problems: string[] = [];
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  let entries = 0;
  try {
    await runner.startTransaction('REPEATABLE READ');
    const heads = new Map<string, Head>(
      (await runner.query(`SELECT stream, last_id::text AS "lastId", last_hash AS "lastHash" FROM audit_streams`)).map(
        (h: Head & { stream: string }) => [h.stream, { lastId: h.lastId, lastHash: h.lastHash }],
      ),
    );
    const stream = await runner.stream(
      `SELECT id::text, stream, at, actor_id, report_id, action, data, prev_hash, hash
         FROM audit_log ORDER BY audit_log.stream, audit_log.id`,
    );
    let current: { stream: string; prev: string; lastId: string } | null = null;
    const closeStream = () => {
      if (current) checkHead(current.stream, heads, current.lastId, current.prev, problems);
      if (current) heads.delete(current.stream);
    };
    for await (const row of stream as AsyncIterable<Record<string, never>>) {
      entries++;
      if (current?.stream !== row.stream) {
        closeStream();
        current = { stream: row.stream, prev: GENESIS_HASH, lastId: '' };
      }
      const expected = auditHash(current.prev, {
        at: new Date(row.at).toISOString(),
        actorId: row.actor_id,
        reportId: row.report_id,
        action: row.action,
        data: row.data,
      });
      if (row.prev_hash !== current.prev)
        problems.push(`entry ${row.id}: does not follow the entry before it (one was deleted or inserted)`);
      else if (row.hash !== expected) problems.push(`entry ${row.id}: its content does not match its hash (edited)`);
      current.prev = row.hash;
      current.lastId = row.id;
      if (problems.length >= MAX_PROBLEMS) break;
    }
    if (problems.length < MAX_PROBLEMS) {
      closeStream();
      for (const [name, head] of heads) {
        if (head.lastId !== null)
          problems.push(`stream ${name}: every entry was deleted (the newest was ${head.lastId})`);
      }
    }
    await runner.commitTransaction();
  } finally {
    await runner.release();
  }
  return { ok: problems.length === 0, entries, problems: problems.slice(0, MAX_PROBLEMS) };
}

function checkHead(stream: string, heads: Map<string, Head>, lastId: string, lastHash: string, problems: string[]) {
  const head = heads.get(stream);
  if (!head) {
    problems.push(`stream ${stream}: has no head (entries inserted, or its head deleted)`);
  } else if (head.lastId !== lastId || head.lastHash !== lastHash) {
    problems.push(
      `stream ${stream}: the newest entry should be ${head.lastId ?? 'none'} but is ${lastId} (entries deleted at the end)`,
    );
  }
}
