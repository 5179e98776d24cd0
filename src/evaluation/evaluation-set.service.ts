import { Injectable, Logger } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { conflict, DomainError, invalid } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { imageToTensor } from '../inference/preprocess/image-preprocessor';
import { ModelRegistry } from '../models/model-registry.service';
import { ModelVersionEntity } from '../models/model-version.entity';
import { parseLabelsCsv } from './evaluation.dto';
import { EvaluationSetItemEntity } from './evaluation-set.entity';
import { EvaluationSetRepository } from './evaluation-set.repository';

export interface SetItemError {
  file: string;
  code: string;
  message: string;
}

export interface CandidateItem {
  file: string;
  label: string;
  bytes?: Buffer;
}

/** Registers labelled sets: every item checked on its own, bad ones reported, the rest kept. */
@Injectable()
export class EvaluationSetService {
  private readonly logger = new Logger('EvaluationSets');

  constructor(
    private readonly sets: EvaluationSetRepository,
    private readonly registry: ModelRegistry,
    private readonly config: AppConfig,
  ) {}

  /** Uploaded files with a labels.csv text naming them. */
  fromUpload(modelName: string, name: string, labelsCsv: string, files: Express.Multer.File[]) {
    const byName = new Map(files.map((f) => [f.originalname, f.buffer]));
    const candidates = parseLabelsCsv(labelsCsv).map((row) => ({ ...row, bytes: byName.get(row.file) }));
    return this.register(modelName, name, candidates);
  }

  /** A folder under EVAL_SET_DIR holding labels.csv and the images it names. */
  async fromFolder(modelName: string, name: string, path: string) {
    const folder = this.folderUnderRoot(path);
    const labels = await readFile(join(folder, 'labels.csv'), 'utf8').catch(() => {
      throw invalid('labels_missing', `no readable labels.csv in ${path}`);
    });
    const candidates: CandidateItem[] = [];
    for (const row of parseLabelsCsv(labels)) {
      const file = resolve(folder, row.file);
      const inside = !relative(folder, file).startsWith('..');
      candidates.push({ ...row, bytes: inside ? await readFile(file).catch(() => undefined) : undefined });
    }
    return this.register(modelName, name, candidates);
  }

  private folderUnderRoot(path: string): string {
    if (!this.config.EVAL_SET_DIR) throw invalid('set_dir_not_configured', 'EVAL_SET_DIR is not set on this server');
    const root = resolve(this.config.EVAL_SET_DIR);
    const folder = resolve(root, path);
    const rel = relative(root, folder);
    if (rel.startsWith('..') || isAbsolute(rel))
      throw invalid('path_outside_set_dir', 'the path must be under EVAL_SET_DIR');
    return folder;
  }

  private async register(modelName: string, name: string, candidates: CandidateItem[]) {
    const model = await this.registry.resolve(modelName);
    const items: EvaluationSetItemEntity[] = [];
    const errors: SetItemError[] = [];
    const id = randomUUID();
    for (const candidate of dedupe(candidates, errors)) {
      const error = await this.check(model, candidate);
      if (error) errors.push(error);
      else items.push(item(id, candidate));
    }
    if (items.length === 0) throw invalid('empty_set', 'no valid item in the set', { errors });
    if (!(await this.sets.create({ id, modelName, name, itemCount: items.length }, items))) {
      throw conflict('set_exists', `model ${modelName} already has a set named ${name}`);
    }
    this.logger.log(
      { model: modelName, set: name, accepted: items.length, rejected: errors.length },
      'evaluation set registered',
    );
    return { id, modelName, name, accepted: items.length, rejected: errors.length, errors };
  }

  private async check(model: ModelVersionEntity, candidate: CandidateItem): Promise<SetItemError | null> {
    const { file, label, bytes } = candidate;
    if (!model.labels.includes(label)) {
      return { file, code: 'unknown_label', message: `'${label}' is not a label of ${model.name}` };
    }
    if (!bytes) return { file, code: 'missing_image', message: 'no image with this file name' };
    try {
      await imageToTensor(bytes, model.inputSpec, { maxPixels: this.config.MAX_IMAGE_PIXELS });
      return null;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return { file, code: error.code, message: error.message };
    }
  }
}

function dedupe(candidates: CandidateItem[], errors: SetItemError[]): CandidateItem[] {
  const seen = new Set<string>();
  return candidates.filter((c) => {
    if (!seen.has(c.file)) return seen.add(c.file);
    errors.push({ file: c.file, code: 'duplicate_file', message: 'the file is listed more than once' });
    return false;
  });
}

function item(setId: string, candidate: CandidateItem): EvaluationSetItemEntity {
  const image = candidate.bytes!;
  return {
    setId,
    file: candidate.file,
    label: candidate.label,
    sha256: createHash('sha256').update(image).digest('hex'),
    image,
  };
}
