import { z } from 'zod';
import { named } from '../schema-registry';

const feedbackResult = z.object({
  prediction_id: z.uuid(),
  status: z.enum(['accepted', 'unknown_prediction', 'unknown_label']),
  message: z.string().optional(),
});

export const feedbackAccepted = named('FeedbackResult', feedbackResult);

export const feedbackBatchResult = named(
  'FeedbackBatchResult',
  z.object({ accepted: z.number().int(), rejected: z.number().int(), results: z.array(feedbackResult) }),
);
