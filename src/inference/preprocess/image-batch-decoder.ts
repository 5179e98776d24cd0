import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/domain-error';
import { AppConfig } from '../../config/app-config';
import type { InputSpec } from '../runtime/types';
import { DecodeGate } from './decode-gate';
import { decodeToTensor, readImageHeader, type ImageHeader, type ImageTensor } from './image-preprocessor';

/**
 * The images of one request, bounded: every header is read before any pixel is decoded, the
 * request's pixels in all are held to MAX_REQUEST_PIXELS, and headers and decodes both pass the
 * process's DecodeGate (MAX_DECODE_CONCURRENCY, MAX_DECODE_QUEUE), shared fairly between clients.
 */
@Injectable()
export class ImageBatchDecoder {
  readonly gate: DecodeGate;

  constructor(private readonly config: AppConfig) {
    this.gate = new DecodeGate({ slots: config.MAX_DECODE_CONCURRENCY, maxWaiting: config.MAX_DECODE_QUEUE });
  }

  /** `client` names who sent the request (its API key, else its address): the unit of fairness. */
  async toTensors(client: string, images: Buffer[], spec: InputSpec): Promise<ImageTensor[]> {
    const limits = { maxPixels: this.config.MAX_IMAGE_PIXELS };
    const ticket = this.gate.admit(client);
    const headers = await ticket.run(images.map((bytes) => () => readImageHeader(bytes, limits)));
    checkRequestPixels(headers, this.config.MAX_REQUEST_PIXELS);
    return ticket.run(images.map((bytes, i) => () => decodeToTensor(bytes, headers[i], spec, limits)));
  }
}

/** Refuses a request whose images add up to more than `limit` pixels, from their headers alone. */
export function checkRequestPixels(headers: ImageHeader[], limit: number): void {
  const pixels = headers.reduce((sum, header) => sum + header.pixels, 0);
  if (pixels <= limit) return;
  const images = headers.length === 1 ? 'image has' : `${headers.length} images have`;
  throw new DomainError(
    'payload_too_large',
    'request_too_many_pixels',
    `the request's ${images} ${pixels} pixels in all (width x height), above the limit of ${limit} pixels per request (MAX_REQUEST_PIXELS)`,
    { pixels, limit, setting: 'MAX_REQUEST_PIXELS' },
  );
}
