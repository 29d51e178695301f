import { ProtocolTemplateModel } from '@app/domain';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** Serialises matching of one election: a full rematch and a one-precinct match never interleave. */
const MATCH_LOCK = 7_301_602;

/** The statuses of the public discrepancy list, as stored in `precinct_matches.status`. */
export const PUBLIC_STATUSES = ['mismatch', 'conflicting_reports', 'official_changed'] as const;
export const MATCH_STATUSES = ['match', 'mismatch', 'no_official', 'conflicting_reports', 'official_changed'] as const;
export type MatchStatus = (typeof MATCH_STATUSES)[number];

export interface MatchOutcome {
  /** Match rows written or changed. */
  written: number;
  /** Match rows removed because their precinct no longer has a reviewed report. */
  removed: number;
}

/**
 * The outcome of every precinct with a reviewed report, as CTEs ending in `outcome`, for one
 * statement (a loop per precinct would spend seconds in round trips alone). `$1` election, `$2`
 * the 1-based array index of the leading candidate's line (NULL when unknown), `$3` one precinct
 * or NULL for the whole election.
 *
 * Reports agree when min and max of their value arrays are equal. Statuses go in the contract's
 * order: conflicting reports, no official row, official numbers changed between the latest two
 * versions, a difference, a match. `effect` is how far the leader's line moves: official minus
 * observed (or between versions, or between reports), in absolute votes; 0 for match and
 * no_official (a CHECK on precinct_matches, which the list's order relies on).
 */
const OUTCOME_CTES = `
WITH versions AS (
  SELECT id, row_number() OVER (ORDER BY version DESC) AS age
    FROM official_imports WHERE election_id = $1 AND status = 'done'
   ORDER BY version DESC LIMIT 2
), observed AS (
  SELECT r.precinct_id,
         array_agg(r.id ORDER BY r.reviewed_at, r.id) AS report_ids,
         min(r.final_values) AS lo, max(r.final_values) AS hi,
         max(r.final_values[$2]) - min(r.final_values[$2]) AS spread
    FROM reports r
   WHERE r.election_id = $1 AND r.status = 'reviewed' AND r.final_values IS NOT NULL
     AND ($3::int IS NULL OR r.precinct_id = $3)
   GROUP BY r.precinct_id
), judged AS (
  SELECT o.precinct_id, o.report_ids, o.lo, o.spread, cur.line_values AS official, prv.line_values AS previous,
         CASE WHEN o.lo <> o.hi THEN 'conflicting_reports'
              WHEN cur.line_values IS NULL THEN 'no_official'
              WHEN prv.line_values IS NOT NULL AND prv.line_values <> cur.line_values THEN 'official_changed'
              WHEN cur.line_values IS DISTINCT FROM o.lo THEN 'mismatch'
              ELSE 'match' END AS status
    FROM observed o
    LEFT JOIN official_results cur
      ON cur.import_id = (SELECT id FROM versions WHERE age = 1) AND cur.precinct_id = o.precinct_id
    LEFT JOIN official_results prv
      ON prv.import_id = (SELECT id FROM versions WHERE age = 2) AND prv.precinct_id = o.precinct_id
  -- OFFSET 0: status is computed once per row; flattened, its CASE (array comparisons) was
  -- evaluated again for each of its four uses below.
  OFFSET 0
), outcome AS (
  SELECT j.precinct_id, j.status, j.report_ids,
         CASE WHEN j.status <> 'conflicting_reports' THEN j.lo END AS observed,
         j.official,
         CASE WHEN j.status = 'official_changed' THEN j.previous END AS previous_official,
         coalesce(CASE j.status
           WHEN 'conflicting_reports' THEN j.spread
           WHEN 'mismatch' THEN abs(j.official[$2] - j.lo[$2])
           WHEN 'official_changed' THEN greatest(abs(j.official[$2] - j.previous[$2]), abs(j.official[$2] - j.lo[$2]))
         END, 0) AS effect
    FROM judged j
)`;

const INSERT_OUTCOME = `
INSERT INTO precinct_matches AS m
       (election_id, precinct_id, status, report_ids, observed, official, previous_official, import_id, effect)
SELECT $1, n.precinct_id, n.status, n.report_ids, n.observed, n.official, n.previous_official,
       (SELECT id FROM versions WHERE age = 1), n.effect
  FROM outcome n`;

/**
 * Matches against the stored rows: a row is written only when its outcome changed, so a rematch
 * without news writes nothing; `import_id` is then the version that produced the stored outcome.
 * Unchanged rows are filtered out by an anti-join before the upsert: ON CONFLICT locks each
 * conflicting row before its WHERE is evaluated, so a national rematch without news wrote 96 k
 * tuple locks (5 MB of WAL) to change nothing. Answers the number of rows written.
 */
export const MATCH_SQL = `${OUTCOME_CTES}, written AS (
${INSERT_OUTCOME}
   -- Rows whose stored outcome is the same are left out before the upsert, which would lock
   -- (and so write) every one of them to find that nothing changed.
   WHERE NOT EXISTS (SELECT 1 FROM precinct_matches s
                      WHERE s.election_id = $1 AND s.precinct_id = n.precinct_id
                        AND (s.status, s.report_ids, s.observed, s.official, s.previous_official, s.effect)
                            IS NOT DISTINCT FROM
                            (n.status, n.report_ids, n.observed, n.official, n.previous_official, n.effect))
  ON CONFLICT (election_id, precinct_id) DO UPDATE
     SET status = EXCLUDED.status, report_ids = EXCLUDED.report_ids, observed = EXCLUDED.observed,
         official = EXCLUDED.official, previous_official = EXCLUDED.previous_official,
         import_id = EXCLUDED.import_id, effect = EXCLUDED.effect, updated_at = now()
   WHERE (m.status, m.report_ids, m.observed, m.official, m.previous_official, m.effect)
         IS DISTINCT FROM
         (EXCLUDED.status, EXCLUDED.report_ids, EXCLUDED.observed, EXCLUDED.official,
          EXCLUDED.previous_official, EXCLUDED.effect)
  RETURNING 1
)
SELECT count(*)::int AS written FROM written`;

/**
 * The first whole-election match, when the election has no match rows: a plain insert. With
 * nothing stored there is nothing to compare with, and the upsert's speculative insertion
 * (a check of the key before each row, a second WAL record after it) and its RETURNING
 * tuplestore were a third of a national first rematch. Run under the matching lock, after
 * checking that no row exists; should one appear regardless, the key refuses it and the job
 * is retried (and then takes MATCH_SQL).
 */
export const FIRST_MATCH_SQL = `${OUTCOME_CTES}
${INSERT_OUTCOME}`;

/** Whether the election has any match row (which decides between the two statements above). */
const HAS_MATCHES_SQL = `SELECT EXISTS (SELECT 1 FROM precinct_matches WHERE election_id = $1) AS "has"`;

/**
 * Match rows of precincts left without a reviewed report (`$2`: one precinct or NULL). Apart
 * from the match: sharing its aggregate would make PostgreSQL materialise it, which costs more
 * than this hashed NOT IN over the reviewed reports' index.
 */
export const REMOVE_STALE_SQL = `
DELETE FROM precinct_matches m
 WHERE m.election_id = $1 AND ($2::int IS NULL OR m.precinct_id = $2)
   AND m.precinct_id NOT IN (SELECT r.precinct_id FROM reports r
                              WHERE r.election_id = $1 AND r.status = 'reviewed' AND r.final_values IS NOT NULL)`;

/** Leader lines kept per election: more than this many elections, and the oldest is forgotten. */
const LEADER_CACHE_SIZE = 100;

@Injectable()
export class MatchesRepository {
  /** The leader's line per election, with the done version it was summed from. */
  private readonly leaders = new Map<string, { key: string; leader: number | null }>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Matches the whole election (`precinctId` undefined) or one precinct, in one transaction
   * under the election's matching lock.
   */
  async match(electionId: string, model: ProtocolTemplateModel, precinctId?: number): Promise<MatchOutcome> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [MATCH_LOCK, electionId]);
      await tuneForBulk(manager, precinctId === undefined);
      const leader = await this.leaderIndex(manager, electionId, model);
      if (precinctId === undefined) {
        const [{ has }] = await manager.query(HAS_MATCHES_SQL, [electionId]);
        if (!has) {
          // Every row inserted rests on a reviewed report: nothing stale to remove.
          const inserted = await manager.queryRunner!.query(FIRST_MATCH_SQL, [electionId, leader, null], true);
          return { written: inserted.affected ?? 0, removed: 0 };
        }
      }
      const [{ written }] = await manager.query(MATCH_SQL, [electionId, leader, precinctId ?? null]);
      const removed = returnedCount(await manager.query(REMOVE_STALE_SQL, [electionId, precinctId ?? null]));
      return { written, removed };
    });
  }

  /** Precincts with a reviewed report (older than `seconds`) that their match row does not name. */
  async unmatchedPrecincts(seconds: number, limit: number): Promise<Array<{ electionId: string; precinctId: number }>> {
    return this.dataSource.query(
      `SELECT DISTINCT r.election_id AS "electionId", r.precinct_id AS "precinctId"
         FROM reports r
        WHERE r.status = 'reviewed' AND r.final_values IS NOT NULL AND r.reviewed_at < now() - make_interval(secs => $1)
          AND NOT EXISTS (SELECT 1 FROM precinct_matches m
                           WHERE m.election_id = r.election_id AND m.precinct_id = r.precinct_id
                             AND r.id = ANY (m.report_ids))
        LIMIT $2`,
      [seconds, limit],
    );
  }

  /**
   * The 1-based array index of the candidate line with the most official votes in the latest
   * version: the leader whose line orders the discrepancy list. A done version never changes,
   * so the answer is kept per version: summing it again cost 60–150 ms per match, the
   * one-precinct match included.
   */
  async leaderIndex(manager: EntityManager, electionId: string, model: ProtocolTemplateModel): Promise<number | null> {
    if (model.candidateLines.length === 0) return null;
    const [latest]: Array<{ id: string }> = await manager.query(
      `SELECT id FROM official_imports WHERE election_id = $1 AND status = 'done' ORDER BY version DESC LIMIT 1`,
      [electionId],
    );
    if (!latest) return null;
    // The template's candidate lines are part of the key: a changed template sums again.
    const key = `${latest.id}:${model.candidateLines.map((l) => model.indexOf(l.n)).join(',')}`;
    const known = this.leaders.get(electionId);
    if (known?.key === key) return known.leader;
    const leader = await this.sumLeader(manager, latest.id, model);
    this.leaders.delete(electionId);
    if (this.leaders.size >= LEADER_CACHE_SIZE) this.leaders.delete(this.leaders.keys().next().value as string);
    this.leaders.set(electionId, { key, leader });
    return leader;
  }

  /** One pass with one sum per candidate column (unnesting 26 lines of 96k rows costs ten times more). */
  private async sumLeader(
    manager: EntityManager,
    importId: string,
    model: ProtocolTemplateModel,
  ): Promise<number | null> {
    const candidates = model.candidateLines.map((l) => model.indexOf(l.n) + 1);
    const sums = candidates.map((i) => `sum(r.line_values[${i}])::bigint AS "${i}"`).join(', ');
    const [totals]: Array<Record<string, string | null>> = await manager.query(
      `SELECT ${sums} FROM official_results r WHERE r.import_id = $1`,
      [importId],
    );
    let leader: number | null = null;
    for (const i of candidates) {
      const votes = totals?.[String(i)];
      if (
        votes !== null &&
        votes !== undefined &&
        (leader === null || Number(votes) > Number(totals[String(leader)]))
      ) {
        leader = i;
      }
    }
    return leader;
  }
}

/**
 * Settings for this transaction only. The match's row estimate for the previous version's join
 * is far too high (26 M for 96 k), which made PostgreSQL JIT-compile the statement with inlining
 * and optimisation: 0.8 s of a 2.9 s national rematch, for a plan that runs once. The hash
 * joins over two versions of 96 k rows spilled to disk in 4 batches at the default 4 MB. A
 * whole-election match joins every precinct: when precinct_matches looks empty to the planner
 * (a first match after a vacuum), it chose a nested loop over a sequential scan of it for the
 * anti-join, which the insert grows: 308 s instead of 1 s.
 */
async function tuneForBulk(manager: EntityManager, wholeElection: boolean): Promise<void> {
  await manager.query(`SET LOCAL jit = off`);
  await manager.query(`SET LOCAL work_mem = '64MB'`);
  if (wholeElection) await manager.query(`SET LOCAL enable_nestloop = off`);
}

/** TypeORM answers a DELETE on PostgreSQL with [rows, count]. */
function returnedCount(result: unknown): number {
  const r = result as unknown[];
  return Array.isArray(r) && typeof r[1] === 'number' ? r[1] : 0;
}
