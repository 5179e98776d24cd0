import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import { ExperimentRepository } from './experiment.repository';

/** Counts failed inferences per experiment arm for the error-rate guardrail. */
@Injectable()
export class ArmErrorRecorder {
  private readonly logger = new Logger('ArmErrorRecorder');

  constructor(private readonly experiments: ExperimentRepository) {}

  /**
   * One failed item. A client error ('invalid') says nothing about the model and is not counted;
   * everything else is, queue-full 503s included. Never throws: the request's own error wins.
   */
  async recordFailure(experimentId: string, arm: string, error: unknown): Promise<void> {
    if (error instanceof DomainError && error.kind === 'invalid') return;
    try {
      await this.experiments.addArmError(experimentId, arm);
    } catch (failure) {
      this.logger.warn({ experimentId, arm, error: String(failure) }, 'arm error not recorded');
    }
  }
}
