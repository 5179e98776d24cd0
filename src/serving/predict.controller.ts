import {
  applyDecorators,
  Controller,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  UploadedFiles,
  UseInterceptors,
} from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { DomainError, invalid } from '../common/domain-error';
import { callerOf } from '../auth/api-key.guard';
import { RequireScope } from '../auth/scopes';
import { ApiErrors } from '../openapi/errors';
import {
  ApiBodies,
  ApiModelParams,
  ApiQueryFrom,
  ApiResult,
  formField,
  imageBodies,
  multipart,
} from '../openapi/operation';
import { predictResponse } from '../openapi/schemas/serving.schemas';
import { UNIT_ID_DESCRIPTION, UnitId } from './unit-id';
import { ImagePredictService, predictQuerySchema } from './image-predict.service';

// multer's own cap answers a bare 400; upload-limits.ts enforces MAX_REQUEST_ITEMS with a 413 first.
const MAX_FILES = 100_000;

/** OpenAPI for both predict routes: the body, the query and the answers. */
function PredictDocs(summary: string): MethodDecorator {
  return applyDecorators(
    ApiOperation({
      summary,
      description:
        'One image as the body (JPEG, PNG or WebP; the bytes are sniffed), or a multipart batch of `images`. ' +
        'Each prediction is logged with its input histogram.',
    }),
    ApiBodies({
      ...imageBodies(),
      'multipart/form-data': multipart({ images: formField.files('Up to MAX_REQUEST_ITEMS images (default 256)') }),
    }),
    ApiQueryFrom(predictQuerySchema),
    ApiHeader({ name: 'x-unit-id', required: false, description: UNIT_ID_DESCRIPTION }),
    ApiResult(200, predictResponse, 'One prediction per image, with its id for feedback'),
    ApiErrors(400, 404, 413, 415, 422, 503),
  );
}

/** Plain image endpoint: a JPEG/PNG/WebP body, or a multipart batch of `images`. */
@ApiTags('Predict')
@RequireScope('infer')
@Controller('v1/models/:name')
export class PredictController {
  constructor(private readonly images: ImagePredictService) {}

  @Post('predict')
  @HttpCode(200)
  @PredictDocs('Classify images with the serving model')
  @ApiModelParams()
  @UseInterceptors(FilesInterceptor('images', MAX_FILES))
  predict(
    @Param('name') name: string,
    @Req() request: Request,
    @Query() query: unknown,
    @UnitId() unitId?: string,
    @UploadedFiles() files?: Express.Multer.File[],
  ) {
    return this.run(name, undefined, request, query, unitId, files);
  }

  @Post('versions/:version/predict')
  @HttpCode(200)
  @PredictDocs('Classify images with one model version')
  @ApiModelParams({ version: true })
  @UseInterceptors(FilesInterceptor('images', MAX_FILES))
  predictVersion(
    @Param('name') name: string,
    @Param('version') version: string,
    @Req() request: Request,
    @Query() query: unknown,
    @UnitId() unitId?: string,
    @UploadedFiles() files?: Express.Multer.File[],
  ) {
    return this.run(name, version, request, query, unitId, files);
  }

  private run(
    name: string,
    version: string | undefined,
    request: Request,
    query: unknown,
    unitId: string | undefined,
    files: Express.Multer.File[] | undefined,
  ) {
    const parsed = this.images.query(query);
    const images = imagesOf(request, files);
    return this.images.serve({ name, version, unitId, client: callerOf(request) }, parsed, async () => images);
  }
}

function imagesOf(request: Request, files: Express.Multer.File[] | undefined): Buffer[] {
  if (request.is('multipart/form-data')) {
    if (!files?.length) throw invalid('no_images', 'the multipart body has no `images` files');
    return files.map((file) => file.buffer);
  }
  const body: unknown = request.body;
  if (Buffer.isBuffer(body) && body.length > 0) return [body];
  // req.is() is null when there is no body at all.
  if (request.is('*/*') === null || Buffer.isBuffer(body)) {
    throw invalid('empty_body', 'the request body is empty; send a JPEG, PNG or WebP image');
  }
  throw new DomainError(
    'unsupported_media_type',
    'unsupported_media_type',
    `content type ${request.headers['content-type']} is not accepted; send image/jpeg, image/png, image/webp or multipart/form-data`,
  );
}
