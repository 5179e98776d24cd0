import { Injectable, Logger } from '@nestjs/common';
import type { BatchSignals } from '../inference/runtime/types';
import { HistogramAggregator } from './histogram-aggregator';
import { PredictionLogWriter } from './prediction-log.writer';
import { PredictionRecord } from './prediction-record';

/**
 * The serving path's one place to record what it served: a row per prediction (the log writer)
 * and the histogram counts of the batches that answered them (the aggregator). Neither waits on
 * Postgres; counts that are still being computed (ensembles) are added when they arrive.
 */
@Injectable()
export class TrafficRecorder {
  private readonly logger = new Logger('TrafficRecorder');

  constructor(
    private readonly log: PredictionLogWriter,
    private readonly histograms: HistogramAggregator,
  ) {}

  /** Synchronous and never throws: rows are buffered and written in batches. */
  recordPredictions(rows: readonly PredictionRecord[]): void {
    this.log.append(rows);
  }

  /** A batch's counts, as the runner hands them over (an ensemble's are still being counted). */
  recordSignals(signals: ReadonlyArray<Promise<BatchSignals | undefined>>): void {
    for (const pending of signals) {
      void pending
        .then((batch) => {
          if (batch) this.histograms.add(batch.modelVersionId, batch.edgesVersion, batch.counts, new Date());
        })
        .catch((err: unknown) =>
          this.logger.error({ err }, 'signal counting failed; the batch is not in the histograms'),
        );
    }
  }
}
