/*
 * Queue and job names. NEVER rename a value: jobs already in Redis carry the old name and would
 * find no handler. Add new names instead and retire old ones once their queues are empty.
 */
export enum QueueName {
  Photos = 'photos',
  Review = 'review',
  /** Arbitrate jobs apart from transcriptions, so that arbiters never wade through the latter. */
  Arbitration = 'arbitration',
  OfficialResults = 'official-results',
  Matching = 'matching',
}

export enum JobName {
  /** Decode, check and re-encode one uploaded photo. */
  ProcessPhoto = 'process-photo',
  /** A moderator's transcription of a report's protocol (claimed by hand through the API). */
  Transcribe = 'transcribe',
  /** A coordinator's decision between transcriptions that disagree. */
  Arbitrate = 'arbitrate',
  /** Load an uploaded official-results file as a new version. */
  ImportOfficialResults = 'import-official-results',
  /** Match one precinct after one of its reports became reviewed. */
  MatchPrecinct = 'match-precinct',
  /** Match every precinct of an election, after an official-results import. */
  MatchElection = 'match-election',
}

/** Where each job runs. */
export const JOB_QUEUE: Readonly<Record<JobName, QueueName>> = {
  [JobName.ProcessPhoto]: QueueName.Photos,
  [JobName.Transcribe]: QueueName.Review,
  [JobName.Arbitrate]: QueueName.Arbitration,
  [JobName.ImportOfficialResults]: QueueName.OfficialResults,
  [JobName.MatchPrecinct]: QueueName.Matching,
  [JobName.MatchElection]: QueueName.Matching,
};

/**
 * Queues whose jobs are taken by hand through the API (`getNextJob`), not by worker processors.
 * The worker's handler check skips them.
 */
export const MANUAL_QUEUES: ReadonlySet<QueueName> = new Set([QueueName.Review, QueueName.Arbitration]);

export interface JobPayloads {
  [JobName.ProcessPhoto]: { photoId: string; reportId: string };
  [JobName.Transcribe]: { reportId: string; round: number };
  [JobName.Arbitrate]: { reportId: string; round: number };
  [JobName.ImportOfficialResults]: { importId: string };
  [JobName.MatchPrecinct]: { electionId: string; precinctId: number };
  [JobName.MatchElection]: { electionId: string; importId?: string };
}

export interface JobRequest<N extends JobName = JobName> {
  name: N;
  payload: JobPayloads[N];
  /** Deterministic id: the same work always gets the same id, so re-adding it is a no-op. */
  jobId: string;
}

/**
 * The review jobs for a report that has just become `awaiting_review`: one transcription task
 * per required review. Written to the outbox in the same transaction as the status change.
 */
export function reviewJobsFor(reportId: string, reviewsRequired: number): JobRequest<JobName.Transcribe>[] {
  return Array.from({ length: reviewsRequired }, (_, i) => ({
    name: JobName.Transcribe,
    jobId: `transcribe:${reportId}:${i + 1}`,
    payload: { reportId, round: i + 1 },
  }));
}

/** The matching job for a report that has just become `reviewed`. */
export function matchJobFor(
  electionId: string,
  precinctId: number,
  reportId: string,
): JobRequest<JobName.MatchPrecinct> {
  // BullMQ refuses custom ids with a colon unless they have exactly three parts.
  return { name: JobName.MatchPrecinct, jobId: `match:${reportId}:1`, payload: { electionId, precinctId } };
}
