import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { DomainError } from '../../common/domain-error';
import type { InputSpec } from '../runtime/types';
import { imageToTensor } from './image-preprocessor';
import { digitsSpec } from '../../../test/support/factories';

const DIGITS = join(__dirname, '../../../test/fixtures/digits');
const PREPROCESS = join(__dirname, '../../../test/fixtures/preprocess');
const LIMITS = { maxPixels: 4096 * 4096 };

const spec = digitsSpec;
const rgb = (over: Partial<InputSpec> = {}) => spec({ channels: 3, mean: [0, 0, 0], std: [1, 1, 1], ...over });

/** Encodes interleaved 8-bit pixels as an image of the given format. */
async function encode(pixels: number[], width: number, height: number, channels: 1 | 3 | 4, format: string) {
  const img = sharp(Buffer.from(pixels), { raw: { width, height, channels } });
  switch (format) {
    case 'jpeg':
      return img.jpeg({ quality: 100 }).toBuffer();
    case 'webp':
      return img.webp({ lossless: true }).toBuffer();
    case 'gif':
      return img.gif().toBuffer();
    case 'tiff':
      return img.tiff().toBuffer();
    default:
      return img.png().toBuffer();
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A small real PNG whose IHDR claims width x height (CRC fixed so the header is valid). */
async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await encode([0, 0, 0, 0], 2, 2, 1, 'png'));
  png.writeUInt32BE(width, 16); // IHDR data starts after signature(8) + length(4) + type(4)
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

async function rejection(p: Promise<unknown>): Promise<DomainError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  return err as DomainError;
}

function heldbackDigits(): string[] {
  const rows = readFileSync(join(DIGITS, 'labels.csv'), 'utf8').trim().split('\n').slice(1);
  return rows
    .map((r) => r.split(',')[0])
    .filter((f) => f.startsWith('heldback/'))
    .slice(0, 5);
}

describe('imageToTensor', () => {
  it.each(heldbackDigits())('keeps the exact pixels of digit %s (uint8/255)', async (file) => {
    const bytes = readFileSync(join(DIGITS, file));
    const { data } = await sharp(bytes).greyscale().raw().toBuffer({ resolveWithObject: true });
    const { tensor, inputHash } = await imageToTensor(bytes, spec(), LIMITS);
    expect(Array.from(tensor)).toEqual(Array.from(data, (v) => Math.fround(v / 255)));
    expect(inputHash).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  // 2x2 RGB pixels: (10,20,30) (40,50,60) / (70,80,90) (100,110,120)
  const PIXELS = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120];
  it.each([
    ['NCHW', [10, 40, 70, 100, 20, 50, 80, 110, 30, 60, 90, 120]],
    ['NHWC', PIXELS],
  ] as const)('orders a 3-channel image as %s', async (layout, expected) => {
    const png = await encode(PIXELS, 2, 2, 3, 'png');
    const { tensor } = await imageToTensor(png, rgb({ layout, height: 2, width: 2, scale: 1 }), LIMITS);
    expect(Array.from(tensor)).toEqual(expected);
  });

  it.each([
    ['identity', { scale: 1, mean: [0, 0, 0], std: [1, 1, 1] }, [100, 150, 200]],
    ['scale only', { scale: 1 / 255, mean: [0, 0, 0], std: [1, 1, 1] }, [100 / 255, 150 / 255, 200 / 255]],
    ['mean/std per channel', { scale: 1, mean: [100, 50, 0], std: [1, 2, 4] }, [0, 50, 50]],
    ['imagenet-style', { scale: 0.5, mean: [10, 20, 30], std: [10, 5, 2] }, [4, 11, 35]],
  ])('normalises per channel: %s', async (_name, norm, expected) => {
    const png = await encode([100, 150, 200], 1, 1, 3, 'png');
    const { tensor } = await imageToTensor(png, rgb({ layout: 'NHWC', height: 1, width: 1, ...norm }), LIMITS);
    expect(Array.from(tensor)).toEqual(expected.map(Math.fround));
  });

  // Oracle: Pillow's Lanczos resize (scripts/golden/preprocess_golden.py), which shares no code with
  // sharp. Two Lanczos-3 implementations differ by rounding and edge handling: within 2 grey levels
  // per value and 1 on average. Nearest-neighbour (up to 17 off), bilinear (10) and a crop instead
  // of a stretch (77 on the 40x24 image) fall outside.
  const resized = JSON.parse(readFileSync(join(PREPROCESS, 'expected.json'), 'utf8')) as {
    cases: Record<string, { width: number; height: number; channels: 1 | 3; hwc: number[] }>;
  };
  it.each(Object.entries(resized.cases))("resizes %s like Pillow's Lanczos, within 2 levels", async (name, c) => {
    const png = readFileSync(join(PREPROCESS, `${name}.png`));
    const target = (c.channels === 1 ? spec : rgb)({ layout: 'NHWC', height: c.height, width: c.width, scale: 1 });
    const { tensor } = await imageToTensor(png, target, LIMITS);
    const diffs = Array.from(tensor, (v, i) => Math.abs(v - c.hwc[i]));
    expect(diffs).toHaveLength(c.hwc.length);
    expect(Math.max(...diffs)).toBeLessThanOrEqual(2);
    expect(diffs.reduce((a, b) => a + b, 0) / diffs.length).toBeLessThanOrEqual(1);
  });

  it.each(['jpeg', 'webp', 'png'])('accepts %s', async (format) => {
    const bytes = await encode(Array(64 * 3).fill(128), 8, 8, 3, format);
    const { tensor } = await imageToTensor(bytes, rgb({ scale: 1 }), LIMITS);
    expect(tensor).toHaveLength(192);
    for (const v of tensor) expect(Math.abs(v - 128)).toBeLessThanOrEqual(2);
  });

  it('converts colour to grey for 1-channel models and grey to 3 equal channels', async () => {
    const red = await encode([255, 0, 0], 1, 1, 3, 'png');
    const [grey] = (await imageToTensor(red, spec({ height: 1, width: 1, scale: 1 }), LIMITS)).tensor;
    expect(grey).toBeGreaterThan(0);
    expect(grey).toBeLessThan(255);
    const g = await encode([77], 1, 1, 1, 'png');
    const { tensor } = await imageToTensor(g, rgb({ height: 1, width: 1, scale: 1 }), LIMITS);
    expect(Array.from(tensor)).toEqual([77, 77, 77]);
  });

  it('flattens transparency onto black', async () => {
    const png = await encode([255, 255, 255, 0, 200, 100, 50, 255], 2, 1, 4, 'png');
    const { tensor } = await imageToTensor(png, rgb({ layout: 'NHWC', height: 1, width: 2, scale: 1 }), LIMITS);
    expect(Array.from(tensor)).toEqual([0, 0, 0, 200, 100, 50]);
  });

  it('applies EXIF orientation before sizing (no resample of a rotated fit)', async () => {
    const raw = sharp(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]), { raw: { width: 4, height: 2, channels: 1 } });
    const png = await raw.png().withMetadata({ orientation: 6 }).toBuffer();
    const { tensor } = await imageToTensor(png, spec({ layout: 'NHWC', height: 4, width: 2, scale: 1 }), LIMITS);
    expect(Array.from(tensor)).toEqual([5, 1, 6, 2, 7, 3, 8, 4]);
  });

  const refusals: Array<[string, () => Promise<Buffer>, string, string, RegExp]> = [
    ['an empty body', async () => Buffer.alloc(0), 'invalid', 'empty_body', /empty/],
    [
      'garbage bytes',
      async () => Buffer.from('definitely not an image, just text'),
      'unsupported_media_type',
      'unsupported_image',
      /not a JPEG, PNG or WebP/,
    ],
    [
      'a GIF',
      () => encode([1, 2, 3, 4], 2, 2, 1, 'gif'),
      'unsupported_media_type',
      'unsupported_image',
      /GIF images are not supported/,
    ],
    ['a TIFF', () => encode([1, 2, 3, 4], 2, 2, 1, 'tiff'), 'unsupported_media_type', 'unsupported_image', /TIFF/],
    [
      'a PNG cut inside its header',
      async () => (await encode([1, 2, 3, 4], 2, 2, 1, 'png')).subarray(0, 20),
      'invalid',
      'corrupt_image',
      /header/,
    ],
    [
      'a truncated PNG',
      async () => (await encode(Array(64).fill(9), 8, 8, 1, 'png')).subarray(0, 40),
      'invalid',
      'corrupt_image',
      /corrupt|truncated/,
    ],
    [
      'a truncated JPEG',
      async () => {
        const jpg = await encode(
          Array.from({ length: 64 * 64 * 3 }, (_, i) => i % 251),
          64,
          64,
          3,
          'jpeg',
        );
        return jpg.subarray(0, jpg.length >> 1);
      },
      'invalid',
      'corrupt_image',
      /truncated or corrupt/,
    ],
  ];
  it.each(refusals)('refuses %s', async (_name, make, kind, code, message) => {
    const err = await rejection(imageToTensor(await make(), spec(), LIMITS));
    expect([err.kind, err.code]).toEqual([kind, code]);
    expect(err.message).toMatch(message);
  });

  it('refuses a 20000x20000 PNG from its header alone', async () => {
    const bomb = await pngClaiming(20000, 20000);
    const meta = await sharp(bomb, { limitInputPixels: false }).metadata();
    expect([meta.width, meta.height]).toEqual([20000, 20000]);
    // No timing: the bytes hold 4 pixels, so a decode would fail as corrupt; the declared size in
    // the message shows the header check refused it before any decoding.
    const err = await rejection(imageToTensor(bomb, spec(), { maxPixels: 4096 * 4096 }));
    expect([err.kind, err.code]).toEqual(['payload_too_large', 'image_too_large']);
    expect(err.message).toContain('20000x20000');
    expect(err.message).toContain(String(4096 * 4096));
  });

  it.each([
    [63, true],
    [64, false],
  ])('with maxPixels %i an 8x8 image refused=%s', async (maxPixels, refused) => {
    const png = await encode(Array(64).fill(1), 8, 8, 1, 'png');
    const result = imageToTensor(png, spec(), { maxPixels });
    if (refused) expect((await rejection(result)).code).toBe('image_too_large');
    else await expect(result).resolves.toHaveProperty('tensor');
  });
});
