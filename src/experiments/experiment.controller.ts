import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { parseInput } from '../common/validation';
import { createExperimentSchema, decisionsQuerySchema } from './experiment.dto';
import { ExperimentAnalyser } from './experiment-analyser.service';
import { ExperimentRepository } from './experiment.repository';
import { ExperimentService } from './experiment.service';
import { decisionView, experimentView } from './experiment.views';

@Controller('v1')
export class ExperimentController {
  constructor(
    private readonly service: ExperimentService,
    private readonly analyser: ExperimentAnalyser,
    private readonly experiments: ExperimentRepository,
  ) {}

  @Post('models/:name/experiments')
  async start(@Param('name') name: string, @Body() body: unknown) {
    const request = parseInput(createExperimentSchema, body ?? {}, 'body');
    return experimentView(await this.service.start(name, request));
  }

  @Get('models/:name/experiments')
  async list(@Param('name') name: string) {
    return { model: name, experiments: (await this.experiments.list(name)).map(experimentView) };
  }

  /** Status: safe to poll continuously, the decision rule is always valid (see stats/README.md). */
  @Get('experiments/:id')
  async status(@Param('id', ParseUUIDPipe) id: string, @Query() query: unknown) {
    const { limit } = parseInput(decisionsQuerySchema, query, 'query');
    const experiment = await this.service.get(id);
    const decisions = await this.experiments.decisions(id, limit);
    return { ...experimentView(experiment), decisions: decisions.map(decisionView) };
  }

  /** Analyses now (the schedule does the same every EXPERIMENT_ANALYSIS_INTERVAL_MS). */
  @Post('experiments/:id/analyse')
  @HttpCode(200)
  async analyse(@Param('id', ParseUUIDPipe) id: string) {
    const analysis = await this.analyser.analyse(await this.service.get(id));
    return { ...experimentView(await this.service.get(id)), analysis: decisionView(analysis) };
  }

  @Post('experiments/:id/stop')
  @HttpCode(200)
  async stop(@Param('id', ParseUUIDPipe) id: string) {
    return experimentView(await this.service.stop(id));
  }
}
