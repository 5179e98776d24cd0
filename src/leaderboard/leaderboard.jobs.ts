import { z } from 'zod';
import { defineJob, QueueName } from '../infra/queue/jobs';

// On the evaluation queue: it scores a whole set through every live version, like an evaluation.
export const leaderboardJob = defineJob({
  name: 'leaderboard.compute',
  queue: QueueName.Evaluation,
  payload: z.object({ leaderboardId: z.uuid() }),
  // The outcome is stored on the row; a second attempt would find it no longer queued.
  attempts: 1,
});
