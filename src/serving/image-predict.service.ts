import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { parseInput } from '../common/validation';
import { argmax } from '../ensembles/voting';
import { PredictionService, ServedBatch, topK } from './prediction.service';

export const predictQuerySchema = z.object({
  top_k: z.coerce.number().int().min(1).max(1000).default(5),
  members: z
    .enum(['true', 'false'])
    .optional()
    .describe("For an ensemble version: each member's answer beside the ensemble's"),
});

export type PredictQuery = z.infer<typeof predictQuerySchema>;

/** Who asked for which model: the route's parameters and the caller. */
export interface PredictTarget {
  name: string;
  version?: string;
  unitId?: string;
  /** The caller (API key, else address): image decoding is shared fairly between callers. */
  client: string;
}

/**
 * `POST /v1/models/{name}[/versions/{version}]/predict`, whichever server took the request (the
 * inference data plane for image bodies, Nest's controller for multipart batches).
 */
@Injectable()
export class ImagePredictService {
  constructor(private readonly predictions: PredictionService) {}

  /** The query string, checked before any work is done (400 naming the parameter). */
  query(query: unknown): PredictQuery {
    return parseInput(predictQuerySchema, query, 'query');
  }

  /** The images are read once the model is known, so an unknown model reads no body. */
  async serve(target: PredictTarget, query: PredictQuery, readImages: () => Promise<Buffer[]>) {
    const { model, context } = await this.predictions.route(target.name, target.version, target.unitId);
    const images = await readImages();
    const served = await this.predictions.predictImages(model, images, { ...context, client: target.client });
    return view(served, query.top_k, query.members === 'true');
  }
}

function view(served: ServedBatch, k: number, withMembers: boolean) {
  const { model } = served;
  const memberView = (p: ServedBatch['predictions'][number]) =>
    withMembers && p.members
      ? { members: p.members.map((m) => ({ version: m.version, ...top1(m.probabilities) })) }
      : {};
  const top1 = (probabilities: Float32Array) => {
    const best = argmax(probabilities);
    return { label: model.labels[best], class_index: best, score: probabilities[best] };
  };
  return {
    model_name: model.name,
    model_version: model.version,
    predictions: served.predictions.map((p) => ({
      prediction_id: p.predictionId,
      label: model.labels[p.predictedClass],
      class_index: p.predictedClass,
      score: p.confidence,
      top_k: topK(p.probabilities, model.labels, k),
      ...memberView(p),
    })),
  };
}
