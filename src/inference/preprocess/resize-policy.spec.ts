import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inputSpecSchema } from '../../models/register-model.dto';
import type { InputSpec } from '../runtime/types';
import { imageToTensor } from './image-preprocessor';
import { centreCropGeometry } from './resize-policy';

const CROP = join(__dirname, '../../../test/fixtures/preprocess-crop');
const LIMITS = { maxPixels: 4096 * 4096 };

interface CropCase {
  shorterSide: number;
  width: number;
  height: number;
  resizeWidth: number;
  resizeHeight: number;
  left: number;
  top: number;
  hwc: number[];
}

// Oracle: torchvision's Resize(S, LANCZOS) + CenterCrop (scripts/golden/centre_crop_golden.py).
const golden = JSON.parse(readFileSync(join(CROP, 'expected.json'), 'utf8')) as { cases: Record<string, CropCase> };
const cases = Object.entries(golden.cases);

const spec = (c: CropCase): InputSpec => ({
  layout: 'NHWC',
  channels: 3,
  height: c.height,
  width: c.width,
  scale: 1,
  mean: [0, 0, 0],
  std: [1, 1, 1],
  output: 'logits',
  resize: { mode: 'centre-crop', shorterSide: c.shorterSide },
});

describe('centre-crop resize policy', () => {
  it.each(cases)('chooses the size and offsets torchvision chooses: %s', (name, c) => {
    const [, w, h] = /-(\d+)x(\d+)-/.exec(name)!.map(Number);
    expect(centreCropGeometry(w, h, c.shorterSide, c)).toEqual({
      resizeWidth: c.resizeWidth,
      resizeHeight: c.resizeHeight,
      left: c.left,
      top: c.top,
    });
  });

  // Two Lanczos-3 implementations differ by rounding and edge handling; on these ramps of 4-5
  // levels per pixel a crop one pixel off, or a stretch, is far outside 3 levels.
  it.each(cases)('resizes and crops like torchvision, within 3 levels: %s', async (name, c) => {
    const png = readFileSync(join(CROP, `${name}.png`));
    const { tensor } = await imageToTensor(png, spec(c), LIMITS);
    const diffs = Array.from(tensor, (v, i) => Math.abs(v - c.hwc[i]));
    expect(diffs).toHaveLength(c.hwc.length);
    expect(Math.max(...diffs)).toBeLessThanOrEqual(3);
    expect(diffs.reduce((a, b) => a + b, 0) / diffs.length).toBeLessThanOrEqual(1);
  });

  it('refuses a shorter side smaller than the crop, naming the field', () => {
    const parsed = inputSpecSchema.safeParse({
      ...spec(golden.cases[cases[0][0]]),
      resize: { mode: 'centre-crop', shorterSide: 8 },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain('resize.shorterSide');
  });

  it('accepts fill and the absence of a policy', () => {
    const base = spec(golden.cases[cases[0][0]]);
    expect(inputSpecSchema.safeParse({ ...base, resize: { mode: 'fill' } }).success).toBe(true);
    expect(inputSpecSchema.safeParse({ ...base, resize: undefined }).success).toBe(true);
  });
});
