import { join } from 'node:path';
import sharp from 'sharp';
import { mulberry32 } from '../../src/drift/stats/seeded-random';
import { imagesDir } from './zoo-models';

/** The two photographs export_zoo.py copied from scikit-learn (sklearn.datasets.load_sample_images). */
const PHOTOS = ['china', 'flower'] as const;

export interface Crop {
  file: string;
  bytes: Buffer;
  /** Index of the photograph (0 china, 1 flower): an arbitrary valid label, the weights are random. */
  photo: number;
}

/**
 * `count` random square crops (side 224 up to the shorter side, anywhere in the photo), half of
 * them mirrored, scaled to 224x224 JPEG: calibration and evaluation images, reproducible by seed.
 */
export async function randomCrops(count: number, seed: number, prefix: string): Promise<Crop[]> {
  const random = mulberry32(seed);
  const photos = PHOTOS.map((p) => join(imagesDir, `${p}.jpg`));
  const sizes = await Promise.all(photos.map((p) => sharp(p).metadata()));
  const crops: Crop[] = [];
  for (let i = 0; i < count; i++) {
    const photo = i % PHOTOS.length;
    const { width = 0, height = 0 } = sizes[photo];
    const side = 224 + Math.floor(random() * (Math.min(width, height) - 224 + 1));
    const left = Math.floor(random() * (width - side + 1));
    const top = Math.floor(random() * (height - side + 1));
    let image = sharp(photos[photo]).extract({ left, top, width: side, height: side }).resize(224, 224);
    if (random() < 0.5) image = image.flop();
    const file = `${prefix}-${String(i).padStart(3, '0')}.jpg`;
    crops.push({ file, bytes: await image.jpeg({ quality: 90 }).toBuffer(), photo });
  }
  return crops;
}
