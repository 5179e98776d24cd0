import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chunk, DigitImage } from '../support/digits';

export interface Answer {
  label: string;
  /** Every class's probability, in label order (from top_k with k = all classes). */
  probabilities: number[];
  members?: Array<{ version: string; label: string }>;
}

/** One version's answers to the images through the plain image endpoint (multipart batches). */
export async function answersOf(baseUrl: string, version: string, images: DigitImage[], labels: string[]) {
  const answers: Answer[] = [];
  for (const batch of chunk(images, 200)) {
    const form = new FormData();
    for (const image of batch) form.append('images', new Blob([image.bytes], { type: 'image/png' }), image.file);
    const url = `${baseUrl}/v1/models/digits/versions/${version}/predict?top_k=${labels.length}&members=true`;
    const response = await fetch(url, { method: 'POST', body: form });
    if (response.status !== 200) throw new Error(`predict answered ${response.status}: ${await response.text()}`);
    const body = (await response.json()) as {
      predictions: Array<{
        label: string;
        top_k: Array<{ label: string; score: number }>;
        members?: Answer['members'];
      }>;
    };
    for (const p of body.predictions) {
      const probabilities = labels.map((l) => p.top_k.find((t) => t.label === l)!.score);
      answers.push({ label: p.label, probabilities, members: p.members });
    }
  }
  return answers;
}

/** scripts/golden/ensemble_golden.py (numpy) on the members' own answers. */
export function golden(
  voting: 'hard' | 'soft',
  weights: number[],
  members: Answer[][],
): { predicted: number[]; probabilities: number[][] } {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-ensemble-'));
  try {
    const file = join(dir, 'members.json');
    writeFileSync(
      file,
      JSON.stringify({ voting, weights, members: members.map((m) => m.map((a) => a.probabilities)) }),
    );
    const script = join(__dirname, '..', '..', 'scripts', 'golden', 'ensemble_golden.py');
    return JSON.parse(execFileSync('/usr/bin/python3', [script, file], { maxBuffer: 64 << 20 }).toString());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const accuracyOf = (answers: Answer[], images: DigitImage[]) =>
  answers.filter((a, i) => a.label === images[i].label).length / answers.length;
