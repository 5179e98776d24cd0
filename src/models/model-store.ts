import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { resolveInside, unreadable } from '../common/contained-path';
import { AppConfig } from '../config/app-config';

/** Model files, stored by content hash under DATA_DIR/models; no request path can escape it. */
@Injectable()
export class ModelStore {
  private readonly root: string;

  constructor(private readonly config: AppConfig) {
    this.root = resolve(config.DATA_DIR, 'models');
  }

  static sha256Of(bytes: Buffer): string {
    return createHash('sha256').update(bytes).digest('hex');
  }

  /** Stores the bytes once per content; returns their sha256. */
  async save(bytes: Buffer): Promise<string> {
    const sha256 = ModelStore.sha256Of(bytes);
    const target = this.pathOf(sha256);
    if (!existsSync(target)) {
      await mkdir(this.root, { recursive: true });
      const temporary = join(this.root, `.${randomUUID()}.tmp`);
      await writeFile(temporary, bytes);
      await rename(temporary, target);
    }
    return sha256;
  }

  /** Deletes a file no version uses (the caller checks that, under ModelVersionRepository.withFileLock). */
  async remove(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return join(this.root, `${sha256}.onnx`);
  }

  /** Reads a model registered by path: a file under MODEL_DIR (see resolveInside). */
  async readFromModelDir(path: string): Promise<Buffer> {
    const names = { setting: 'MODEL_DIR', kind: 'file', code: 'model', otherwise: 'upload the file instead' } as const;
    const real = await resolveInside(this.config.MODEL_DIR, path, names);
    return readFile(real).catch(() => {
      throw unreadable('model', 'file', path, 'MODEL_DIR');
    });
  }
}
