import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ModelRunner } from '../models/model-runner';
import { imageToTensor } from '../inference/preprocess/image-preprocessor';
import { inputSize } from '../inference/runtime/types';
import { ModelRegistry } from '../models/model-registry.service';
import { ModelVersionEntity } from '../models/model-version.entity';
import { EvaluationSetItemEntity } from './evaluation-set.entity';
import { LabelledPair } from './evaluation.repository';

const SCORE_CHUNK = 64;

/** A set item as scored: its label, the predicted class and the top-1 confidence (for calibration). */
export interface ScoredPair extends LabelledPair {
  confidence: number;
  /** Classes scored above the true label (0 = top-1 right; < 5 = in the top 5). */
  labelRank: number;
}

/** Runs a labelled set through a model version, outside the traffic histograms and logs. */
@Injectable()
export class SetScorer {
  constructor(
    private readonly registry: ModelRegistry,
    private readonly runner: ModelRunner,
    private readonly config: AppConfig,
  ) {}

  /** Items whose label the version does not know are left out (labels are checked at upload). */
  async score(model: ModelVersionEntity, items: EvaluationSetItemEntity[]): Promise<ScoredPair[]> {
    const known = items.filter((item) => model.labels.includes(item.label));
    const size = inputSize(model.inputSpec);
    const k = model.labels.length;
    const pairs: ScoredPair[] = [];
    for (let start = 0; start < known.length; start += SCORE_CHUNK) {
      const batch = known.slice(start, start + SCORE_CHUNK);
      const tensor = new Float32Array(batch.length * size);
      for (let i = 0; i < batch.length; i++) {
        const image = await imageToTensor(batch[i].image, model.inputSpec, { maxPixels: this.config.MAX_IMAGE_PIXELS });
        tensor.set(image.tensor, i * size);
      }
      const probabilities = await this.runner.score(this.registry.loadable(model), tensor, batch.length);
      batch.forEach((item, i) => {
        const row = probabilities.subarray(i * k, (i + 1) * k);
        const predicted = argmax(row);
        const label = model.labels.indexOf(item.label);
        const labelRank = row.filter((p) => p > row[label]).length;
        pairs.push({ label, predicted, confidence: row[predicted], labelRank });
      });
    }
    return pairs;
  }
}

function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
