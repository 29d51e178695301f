import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ModeratorStatsDto } from '../tasks/review.dto';

@Injectable()
export class ReviewStatsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Per moderator: submitted tasks, agreement of their transcriptions with decided reports (same
   * values as the final ones, or a reject of a rejected report; arbitrations do not count, being
   * final by definition), and the median time from claim to submit. Every moderator is listed,
   * and anyone else who has submitted a task.
   */
  async moderatorStats(): Promise<ModeratorStatsDto[]> {
    const rows = await this.dataSource.query(`
      WITH done AS (
        SELECT t.moderator_id, tr.kind, extract(epoch FROM t.finished_at - t.claimed_at) AS seconds,
               CASE WHEN tr.kind <> 'transcribe' THEN NULL
                    WHEN r.status = 'reviewed' THEN tr.line_values IS NOT NULL AND tr.line_values = r.final_values
                    WHEN r.status = 'rejected' THEN tr.reject_reason IS NOT NULL
               END AS agreed
          FROM review_tasks t
          JOIN transcriptions tr ON tr.task_id = t.id
          JOIN reports r ON r.id = t.report_id
         WHERE t.state = 'submitted')
      SELECT u.id AS "moderatorId", u.email, count(d.moderator_id)::int AS "tasksDone",
             avg(d.agreed::int)::float AS "agreementRate",
             round((percentile_cont(0.5) WITHIN GROUP (ORDER BY d.seconds))::numeric, 1)::float AS "medianSeconds"
        FROM users u
        LEFT JOIN done d ON d.moderator_id = u.id
       WHERE u.role = 'moderator' OR d.moderator_id IS NOT NULL
       GROUP BY u.id, u.email
       ORDER BY "tasksDone" DESC, u.email`);
    return rows;
  }
}
