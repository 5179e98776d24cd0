import sharp, { type Metadata, type Sharp } from 'sharp';
import { DomainError, invalid } from '../../common/domain-error';
import type { InputSpec } from '../runtime/types';
import { hwcToTensor } from './normalise';
import { applyResize } from './resize-policy';

export interface ImageLimits {
  /** Largest width*height accepted, checked from the header before any decoding. */
  maxPixels: number;
}

export interface ImageTensor {
  tensor: Float32Array;
  /** sha256 hex of the bytes as received, so identical uploads can be recognised. */
  inputHash: string;
}

export const ACCEPTED_IMAGE_FORMATS: readonly string[] = ['jpeg', 'png', 'webp'];
const ACCEPTED_LABEL = 'JPEG, PNG or WebP';

/** An image's header, read and checked (format, MAX_IMAGE_PIXELS) before any pixel is decoded. */
export interface ImageHeader {
  meta: Metadata;
  pixels: number;
}

/** Decodes an uploaded image and turns it into one normalised model input in spec.layout. */
export async function imageToTensor(bytes: Buffer, spec: InputSpec, limits: ImageLimits): Promise<ImageTensor> {
  return decodeToTensor(bytes, await readImageHeader(bytes, limits), spec, limits);
}

/** The first step of imageToTensor: sharp reads the header only (off the event loop, in libuv's pool). */
export async function readImageHeader(bytes: Buffer, limits: ImageLimits): Promise<ImageHeader> {
  if (bytes.length === 0) throw invalid('empty_body', `the request body is empty; send a ${ACCEPTED_LABEL} image`);
  const meta = await readHeader(bytes);
  checkFormat(meta);
  checkPixels(meta, limits.maxPixels);
  return { meta, pixels: meta.width * meta.height };
}

/** The second step: decode and resize (libvips, off the event loop), hash (libuv's pool), normalise. */
export async function decodeToTensor(
  bytes: Buffer,
  header: ImageHeader,
  spec: InputSpec,
  limits: ImageLimits,
): Promise<ImageTensor> {
  const raw = await decode(pipeline(bytes, header.meta, spec, limits.maxPixels), limits.maxPixels);
  if (raw.length !== spec.width * spec.height * spec.channels) {
    // sharp should always honour the requested size and channels; this guards against a silent mismatch.
    throw new DomainError(
      'unprocessable',
      'image_conversion_failed',
      'the image could not be converted to the model input',
    );
  }
  return { tensor: hwcToTensor(raw, spec), inputHash: await sha256Hex(bytes) };
}

/** WebCrypto digests in libuv's thread pool: hashing megabytes of uploads stays off the event loop. */
async function sha256Hex(bytes: Buffer): Promise<string> {
  return Buffer.from(await crypto.subtle.digest('SHA-256', bytes)).toString('hex');
}

/** Header-only read: sharp sniffs magic bytes and parses dimensions without decoding pixels. */
async function readHeader(bytes: Buffer): Promise<Metadata> {
  try {
    // No pixel limit here: metadata never decodes pixels, and we want the real dimensions for the error message.
    return await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (err) {
    const reason = errorMessage(err);
    if (/unsupported image format/i.test(reason)) {
      throw new DomainError('unsupported_media_type', 'unsupported_image', `the body is not a ${ACCEPTED_LABEL} image`);
    }
    throw invalid('corrupt_image', `the image header could not be read: ${reason}`);
  }
}

function checkFormat(meta: Metadata): void {
  if (!ACCEPTED_IMAGE_FORMATS.includes(meta.format)) {
    throw new DomainError(
      'unsupported_media_type',
      'unsupported_image',
      `${meta.format.toUpperCase()} images are not supported; send a ${ACCEPTED_LABEL} image`,
      { format: meta.format, accepted: [...ACCEPTED_IMAGE_FORMATS] },
    );
  }
}

/** Refuses decompression bombs on the declared size, before any pixel memory is allocated. */
function checkPixels(meta: Metadata, maxPixels: number): void {
  const { width, height } = meta;
  if (!width || !height) throw invalid('corrupt_image', 'the image header declares no width or height');
  if (width * height > maxPixels) {
    throw new DomainError(
      'payload_too_large',
      'image_too_large',
      `the image is ${width}x${height} (${width * height} pixels), above the limit of ${maxPixels} pixels (MAX_IMAGE_PIXELS)`,
      { width, height, maxPixels },
    );
  }
}

function pipeline(bytes: Buffer, meta: Metadata, spec: InputSpec, maxPixels: number): Sharp {
  // limitInputPixels bounds the decoder too, in case the header check and the decoder ever disagree.
  let img = sharp(bytes, { limitInputPixels: maxPixels }).rotate().flatten({ background: '#000000' });
  img = spec.channels === 1 ? img.greyscale() : img.toColourspace('srgb');
  const [width, height] = orientedSize(meta);
  return applyResize(img, width, height, spec).raw({ depth: 'uchar' });
}

/** EXIF orientations 5..8 are transposed, so .rotate() swaps width and height. */
function orientedSize(meta: Metadata): [number, number] {
  const swapped = (meta.orientation ?? 1) >= 5;
  return swapped ? [meta.height, meta.width] : [meta.width, meta.height];
}

async function decode(img: Sharp, maxPixels: number): Promise<Buffer> {
  try {
    return await img.toBuffer();
  } catch (err) {
    const reason = errorMessage(err);
    if (/pixel limit/i.test(reason)) {
      throw new DomainError(
        'payload_too_large',
        'image_too_large',
        `the image exceeds the pixel limit of ${maxPixels} (MAX_IMAGE_PIXELS): ${reason}`,
      );
    }
    throw invalid('corrupt_image', `the image could not be decoded (truncated or corrupt): ${reason}`);
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
