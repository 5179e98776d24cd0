import { z } from 'zod';
import { defineJob, QueueName } from '../infra/queue/jobs';

// On the evaluation queue: like an evaluation, it scores images through a model and may take minutes.
export const quantizeJob = defineJob({
  name: 'quantization.run',
  queue: QueueName.Evaluation,
  payload: z.object({ jobId: z.uuid() }),
  // The outcome is stored on the job row; a second attempt would find it no longer queued.
  attempts: 1,
});
