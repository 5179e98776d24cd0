import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RequireScope } from '../auth/scopes';
import { DomainError } from '../common/domain-error';
import { parseInput } from '../common/validation';
import { ApiErrors } from '../openapi/errors';
import { ApiJsonBody } from '../openapi/operation';
import { requestRef, schemaRef } from '../openapi/schema-registry';
import { feedbackAccepted, feedbackBatchResult } from '../openapi/schemas/feedback.schemas';
import { FeedbackService } from './feedback.service';

const item = z.object({ prediction_id: z.uuid(), label: z.string().min(1).max(200) });
const body = z.union([item, z.object({ items: z.array(item).min(1).max(10_000) })]);

@ApiTags('Feedback')
@Controller('v1/feedback')
export class FeedbackController {
  constructor(private readonly feedback: FeedbackService) {}

  /** `{prediction_id, label}` or `{items: [...]}`; a batch answers per item (200), a single item with its status. */
  @Post()
  @HttpCode(200)
  @RequireScope('feedback')
  @ApiOperation({
    summary: 'Record ground-truth labels',
    description:
      'By prediction id; idempotent (a repeat is a no-op, a different label corrects it). A batch answers per ' +
      'item with 200; a single item answers 404 for an unknown prediction and 400 for an unknown label.',
  })
  @ApiJsonBody(requestRef('FeedbackRequest', body))
  @ApiResponse({
    status: 200,
    description: 'The single item, or per-item results of a batch',
    schema: { oneOf: [schemaRef(feedbackAccepted), schemaRef(feedbackBatchResult)] },
  })
  @ApiErrors(400, 404, 413)
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
