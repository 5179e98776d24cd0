import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/scopes';
import { parseInput } from '../common/validation';
import { ApiErrors } from '../openapi/errors';
import { ApiJsonBody, ApiModelParams, ApiQueryFrom, ApiResult, ApiUuidParam } from '../openapi/operation';
import { requestRef } from '../openapi/schema-registry';
import {
  experimentAnalysis,
  experimentList,
  experimentStatus,
  experimentView as experimentSchema,
} from '../openapi/schemas/experiments.schemas';
import { createExperimentSchema, decisionsQuerySchema } from './experiment.dto';
import { ExperimentAnalyser } from './experiment-analyser.service';
import { ExperimentRepository } from './experiment.repository';
import { ExperimentService } from './experiment.service';
import { decisionView, experimentView } from './experiment.views';

@ApiTags('Experiments')
@Controller('v1')
export class ExperimentController {
  constructor(
    private readonly service: ExperimentService,
    private readonly analyser: ExperimentAnalyser,
    private readonly experiments: ExperimentRepository,
  ) {}

  @Post('models/:name/experiments')
  @RequireScope('admin')
  @ApiOperation({
    summary: 'Start a champion/challenger experiment',
    description: 'At most one runs per model. Units are assigned by hashing x-unit-id with the experiment key.',
  })
  @ApiModelParams()
  @ApiJsonBody(requestRef('CreateExperimentRequest', createExperimentSchema))
  @ApiResult(201, experimentSchema, 'The running experiment')
  @ApiErrors(400, 404, 409, 413, 503)
  async start(@Param('name') name: string, @Body() body: unknown) {
    const request = parseInput(createExperimentSchema, body ?? {}, 'body');
    return experimentView(await this.service.start(name, request));
  }

  @Get('models/:name/experiments')
  @RequireScope('read')
  @ApiOperation({ summary: 'List the experiments of a model' })
  @ApiModelParams()
  @ApiResult(200, experimentList, 'Experiments of the model')
  async list(@Param('name') name: string) {
    return { model: name, experiments: (await this.experiments.list(name)).map(experimentView) };
  }

  /** Status: safe to poll continuously, the decision rule is always valid (see stats/README.md). */
  @Get('experiments/:id')
  @RequireScope('read')
  @ApiOperation({
    summary: 'Experiment status and decisions',
    description: 'Safe to poll continuously: the decision rule stays valid at every look.',
  })
  @ApiUuidParam('id', 'Experiment id')
  @ApiQueryFrom(decisionsQuerySchema)
  @ApiResult(200, experimentStatus, 'The experiment with its latest decisions')
  @ApiErrors(400, 404)
  async status(@Param('id', ParseUUIDPipe) id: string, @Query() query: unknown) {
    const { limit } = parseInput(decisionsQuerySchema, query, 'query');
    const experiment = await this.service.get(id);
    const decisions = await this.experiments.decisions(id, limit);
    return { ...experimentView(experiment), decisions: decisions.map(decisionView) };
  }

  /** Analyses now (the schedule does the same every EXPERIMENT_ANALYSIS_INTERVAL_MS). */
  @Post('experiments/:id/analyse')
  @HttpCode(200)
  @RequireScope('admin')
  @ApiOperation({
    summary: 'Analyse an experiment now',
    description: 'What the schedule does every EXPERIMENT_ANALYSIS_INTERVAL_MS; may conclude and switch models.',
  })
  @ApiUuidParam('id', 'Experiment id')
  @ApiResult(200, experimentAnalysis, 'The experiment and the decision of this look')
  @ApiErrors(400, 404)
  async analyse(@Param('id', ParseUUIDPipe) id: string) {
    const analysis = await this.analyser.analyse(await this.service.get(id));
    return { ...experimentView(await this.service.get(id)), analysis: decisionView(analysis) };
  }

  @Post('experiments/:id/stop')
  @HttpCode(200)
  @RequireScope('admin')
  @ApiOperation({ summary: 'Stop an experiment without a switch' })
  @ApiUuidParam('id', 'Experiment id')
  @ApiResult(200, experimentSchema, 'The stopped experiment')
  @ApiErrors(400, 404, 409)
  async stop(@Param('id', ParseUUIDPipe) id: string) {
    return experimentView(await this.service.stop(id));
  }
}
