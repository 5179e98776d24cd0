import { chunk, DigitImage } from '../support/digits';

export interface Served {
  predictionId: string;
  predicted: string;
  label: string;
}

/** Serves images through the plain image endpoint (multipart) and returns what was predicted. */
export async function serve(baseUrl: string, images: DigitImage[]): Promise<Served[]> {
  const served: Served[] = [];
  for (const batch of chunk(images, 200)) {
    const form = new FormData();
    for (const image of batch) form.append('images', new Blob([image.bytes], { type: 'image/png' }), image.file);
    const response = await fetch(`${baseUrl}/v1/models/digits/predict`, { method: 'POST', body: form });
    if (response.status !== 200) throw new Error(`predict answered ${response.status}: ${await response.text()}`);
    const body = (await response.json()) as { predictions: Array<{ prediction_id: string; label: string }> };
    body.predictions.forEach((p, i) =>
      served.push({ predictionId: p.prediction_id, predicted: p.label, label: batch[i].label }),
    );
  }
  return served;
}

/** Sends the true label of every served prediction through the feedback API. */
export async function label(baseUrl: string, served: Served[]): Promise<void> {
  const items = served.map((s) => ({ prediction_id: s.predictionId, label: s.label }));
  const response = await fetch(`${baseUrl}/v1/feedback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ items }),
  });
  const body = (await response.json()) as { accepted: number };
  if (body.accepted !== items.length) throw new Error(`feedback accepted ${body.accepted} of ${items.length}`);
}

export const correctOf = (served: Served[]) => served.filter((s) => s.predicted === s.label).length;

export async function postJson(baseUrl: string, path: string, body: unknown) {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, body: (await response.json()) as any };
}

/** A window around now: the manual trigger's explicit window. */
export function windowAroundNow() {
  return { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() };
}
