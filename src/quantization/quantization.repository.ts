import { Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import { QuantizationJobEntity, QuantizationStatus } from './quantization-job.entity';
import type { QuantizationReport } from './quantization-report';

@Injectable()
export class QuantizationRepository {
  private readonly jobs: Repository<QuantizationJobEntity>;

  constructor(dataSource: DataSource) {
    this.jobs = dataSource.getRepository(QuantizationJobEntity);
  }

  create(job: Omit<QuantizationJobEntity, 'createdAt' | 'finishedAt' | 'report' | 'error' | 'done' | 'total'>) {
    return this.jobs.save(this.jobs.create({ ...job, done: 0, total: 0, report: null, error: null, finishedAt: null }));
  }

  find(id: string): Promise<QuantizationJobEntity | null> {
    return this.jobs.findOneBy({ id });
  }

  async progress(id: string, status: QuantizationStatus, done: number, total: number): Promise<void> {
    await this.jobs.update({ id }, { status, done, total });
  }

  async complete(id: string, report: QuantizationReport): Promise<void> {
    await this.jobs.update({ id }, { status: 'completed', report, finishedAt: new Date() });
  }

  async fail(id: string, error: string): Promise<void> {
    await this.jobs.update({ id }, { status: 'failed', error, finishedAt: new Date() });
  }
}
