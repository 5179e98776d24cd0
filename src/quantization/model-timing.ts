import type { ModelRunner, LoadableModel } from '../models/model-runner';
import { imageToTensor } from '../inference/preprocess/image-preprocessor';
import { InputSpec, inputSize } from '../inference/runtime/types';

/**
 * Batch timing through the inference worker pool (the path traffic takes), shared by the variant
 * report and the leaderboard. After one warm-up each, the models take turns run by run, so that
 * load on the host hits them alike. Answers each model's run times in ms, in run order.
 */
export async function timeRuns(
  runner: ModelRunner,
  models: LoadableModel[],
  item: Float32Array,
  batch: number,
  runs: number,
): Promise<number[][]> {
  const data = new Float32Array(batch * item.length);
  for (let i = 0; i < batch; i++) data.set(item, i * item.length);
  for (const model of models) await runner.score(model, data, batch); // warm-up
  const times = models.map(() => [] as number[]);
  for (let run = 0; run < runs; run++) {
    for (const [i, model] of models.entries()) {
      const started = performance.now();
      await runner.score(model, data, batch);
      times[i].push(performance.now() - started);
    }
  }
  return times;
}

/** One preprocessed item to time with: a real image of the set when there is one, else zeros. */
export async function timingItem(spec: InputSpec, maxPixels: number, image?: Buffer): Promise<Float32Array> {
  return image ? (await imageToTensor(image, spec, { maxPixels })).tensor : new Float32Array(inputSize(spec));
}
