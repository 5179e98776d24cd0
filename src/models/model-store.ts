import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { invalid, notFound } from '../common/domain-error';
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

  /**
   * Reads a model registered by path: relative to MODEL_DIR, and inside it after resolving links.
   * Containment is decided on the text before the file system is touched, so a path outside
   * MODEL_DIR gets the same answer whether or not something exists there.
   */
  async readFromModelDir(path: string): Promise<Buffer> {
    const modelDir = this.config.MODEL_DIR;
    if (!modelDir)
      throw invalid('model_dir_not_configured', 'registering by path needs MODEL_DIR; upload the file instead');
    if (isAbsolute(path) || path.includes('\0'))
      throw invalid('invalid_model_path', 'path must be relative to MODEL_DIR');
    const base = await realpath(modelDir).catch(() => {
      throw invalid('model_dir_missing', 'MODEL_DIR does not exist on this server; upload the file instead');
    });
    if (!isInside(base, resolve(base, path))) throw escapes();
    const real = await realpath(resolve(base, path)).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' || error.code === 'ENOTDIR' ? missing(path) : unreadable(path);
    });
    if (!isInside(base, real)) throw escapes(); // a link inside MODEL_DIR that points out of it
    const found = await stat(real);
    if (!found.isFile()) {
      const what = found.isDirectory() ? 'a directory' : 'not a regular file';
      throw invalid('model_path_not_a_file', `${path} in MODEL_DIR is ${what}; name an ONNX file`);
    }
    return readFile(real).catch(() => {
      throw unreadable(path);
    });
  }
}

function isInside(base: string, target: string): boolean {
  const rel = relative(base, target);
  return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

const escapes = () => invalid('invalid_model_path', 'path escapes MODEL_DIR');
const missing = (path: string) => notFound('model_file_not_found', `no file ${path} in MODEL_DIR`);
const unreadable = (path: string) => invalid('model_file_unreadable', `${path} in MODEL_DIR cannot be read`);
