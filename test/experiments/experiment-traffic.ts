import { DigitImage } from '../support/digits';
import { Served } from '../evaluation/evaluation-traffic';

export interface ServedUnit extends Served {
  version: string;
}

/** One request per image, each with its own x-unit-id, a few in flight at once. */
export async function serveUnits(baseUrl: string, images: DigitImage[], prefix: string): Promise<ServedUnit[]> {
  const served: ServedUnit[] = new Array(images.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < images.length; i = next++) {
      const response = await fetch(`${baseUrl}/v1/models/digits/predict`, {
        method: 'POST',
        headers: { 'content-type': 'image/png', 'x-unit-id': `${prefix}-${i}` },
        body: new Uint8Array(images[i].bytes),
      });
      if (response.status !== 200) throw new Error(`predict answered ${response.status}: ${await response.text()}`);
      const body = (await response.json()) as {
        model_version: string;
        predictions: Array<{ prediction_id: string; label: string }>;
      };
      const [p] = body.predictions;
      served[i] = {
        predictionId: p.prediction_id,
        predicted: p.label,
        label: images[i].label,
        version: body.model_version,
      };
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return served;
}
