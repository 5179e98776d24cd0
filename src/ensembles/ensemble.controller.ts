import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/scopes';
import { ModelRunner } from '../models/model-runner';
import { modelVersionViewOf } from '../models/model-version.view';
import { ApiErrors } from '../openapi/errors';
import { ApiJsonBody, ApiModelParams, ApiResult } from '../openapi/operation';
import { requestRef } from '../openapi/schema-registry';
import { ensembleView } from '../openapi/schemas/ensembles.schemas';
import { createEnsembleSchema, parseCreateEnsemble } from './ensemble.dto';
import { EnsembleService } from './ensemble.service';

@ApiTags('Models')
@Controller('v1/models/:name/ensembles')
export class EnsembleController {
  constructor(
    private readonly ensembles: EnsembleService,
    private readonly runner: ModelRunner,
  ) {}

  @Post()
  @HttpCode(201)
  @RequireScope('admin')
  @ApiOperation({
    summary: 'Register an ensemble version',
    description:
      'A version made of 2-5 live versions of the model sharing labels and input spec, registered as a ' +
      'challenger and served, logged, monitored and evaluated like any version. Hard voting: the majority ' +
      'of member top-1 answers, ties broken by the highest mean member probability; its scores are ' +
      '(votes + mean probability) / (members + 1). Soft voting: the (weighted) mean of member probabilities. ' +
      '`{"select": "top", "k": 3, "set": "<evaluation set id>"}` takes the k most accurate live versions on the set.',
  })
  @ApiModelParams()
  @ApiJsonBody(requestRef('CreateEnsembleRequest', createEnsembleSchema))
  @ApiResult(201, ensembleView, 'The ensemble version, its members and, for a selection, the ranking')
  @ApiErrors(400, 404, 409, 422)
  async create(@Param('name') name: string, @Body() body: unknown) {
    const created = await this.ensembles.create(name, parseCreateEnsemble(body));
    const { version, voting, members, selection } = created;
    return { model: modelVersionViewOf(version, this.runner.provider(version.id)), voting, members, selection };
  }
}
