import { Queue } from 'bullmq';
import { JobRequest } from './queue-names';

/**
 * Adds again a job that Redis lost, for reconcilers: a job still waiting, delayed or running is
 * left alone (false); a finished one is removed first, so that its id can be used again.
 */
export async function requeueIfLost(queue: Queue, request: JobRequest): Promise<boolean> {
  const existing = await queue.getJob(request.jobId);
  const state = existing ? await existing.getState() : 'missing';
  if (state === 'completed' || state === 'failed') await existing!.remove();
  else if (state !== 'missing' && state !== 'unknown') return false;
  await queue.add(request.name, request.payload, { jobId: request.jobId });
  return true;
}
