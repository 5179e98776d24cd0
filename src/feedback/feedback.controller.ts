import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { z } from 'zod';
import { DomainError } from '../common/domain-error';
import { parseInput } from '../common/validation';
import { FeedbackService } from './feedback.service';

const item = z.object({ prediction_id: z.uuid(), label: z.string().min(1).max(200) });
const body = z.union([item, z.object({ items: z.array(item).min(1).max(10_000) })]);

@Controller('v1/feedback')
export class FeedbackController {
  constructor(private readonly feedback: FeedbackService) {}

  /** `{prediction_id, label}` or `{items: [...]}`; a batch answers per item (200), a single item with its status. */
  @Post()
  @HttpCode(200)
  async submit(@Body() payload: unknown) {
    const parsed = parseInput(body, payload, 'body');
    if ('items' in parsed) {
      const results = await this.feedback.record(parsed.items);
      const accepted = results.filter((r) => r.status === 'accepted').length;
      return { accepted, rejected: results.length - accepted, results };
    }
    const [result] = await this.feedback.record([parsed]);
    if (result.status === 'unknown_prediction') throw new DomainError('not_found', result.status, result.message);
    if (result.status === 'unknown_label') throw new DomainError('invalid', result.status, result.message);
    return result;
  }
}
