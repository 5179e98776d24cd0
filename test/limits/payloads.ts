import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';

/** A real PNG whose IHDR is patched (with a valid CRC) to claim width x height: a decompression bomb. */
export function pngClaiming(png: Buffer, width: number, height: number): Buffer {
  const bomb = Buffer.from(png);
  bomb.writeUInt32BE(width, 16);
  bomb.writeUInt32BE(height, 20);
  bomb.writeUInt32BE(crc32(bomb.subarray(12, 29)), 29);
  return bomb;
}

/** A genuine greyscale PNG of the given size (grey noise, so it is not trivially compressible). */
export function greyPng(width: number, height: number): Promise<Buffer> {
  return sharp(randomBytes(width * height), { raw: { width, height, channels: 1 } })
    .png()
    .toBuffer();
}

export interface MultipartFile {
  field: string;
  bytes: Buffer;
  filename?: string;
  contentType?: string;
}

/** One part of a multipart body: a file when it has a filename, else a text field. */
export interface MultipartPart {
  name: string;
  bytes: Buffer;
  filename?: string;
  contentType?: string;
}

/** A multipart/form-data body built by hand, so tests control every byte (and can stream it). */
export function multipartOf(parts: MultipartPart[], boundary = `----vigil${randomBytes(8).toString('hex')}`) {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const file = part.filename === undefined ? '' : `; filename="${part.filename}"`;
    const type = part.contentType === undefined ? '' : `content-type: ${part.contentType}\r\n`;
    chunks.push(
      Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${part.name}"${file}\r\n${type}\r\n`),
    );
    chunks.push(part.bytes, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Files (PNG unless said otherwise) after text fields. */
export function multipart(files: MultipartFile[], fields: Record<string, string> = {}) {
  return multipartOf([
    ...Object.entries(fields).map(([name, value]) => ({ name, bytes: Buffer.from(value) })),
    ...files.map((file, i) => ({
      name: file.field,
      bytes: file.bytes,
      filename: file.filename ?? `file-${i}.png`,
      contentType: file.contentType ?? 'image/png',
    })),
  ]);
}

/** The body as a stream of 16 KiB chunks: fetch sends it chunked, with no Content-Length. */
export function chunked(body: Buffer): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= body.length) return controller.close();
      controller.enqueue(new Uint8Array(body.subarray(offset, offset + 16_384)));
      offset += 16_384;
    },
  });
}

/** An OIP v2 infer request for the digits model's single input. */
export function inferBody(shape: number[], data: unknown[], datatype = 'UINT8') {
  return { inputs: [{ name: 'input', shape, datatype, data }] };
}
