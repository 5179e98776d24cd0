import { applyDecorators } from '@nestjs/common';
import {
  ApiParam,
  ApiQuery,
  ApiResponse,
  DECORATORS,
  OperationObject,
  ReferenceObject,
  SchemaObject,
} from '@nestjs/swagger';
import { z } from 'zod';
import { schemaRef, tidy } from './schema-registry';

type Schema = SchemaObject | ReferenceObject;

const binary: SchemaObject = { type: 'string', format: 'binary' };

/** Media types the plain image endpoints accept; the bytes are sniffed, the header is not trusted. */
export const IMAGE_MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/octet-stream'];

interface BodyOptions {
  description?: string;
  /** false where an absent body means "all defaults". */
  required?: boolean;
}

/** A request body, one schema per media type (JSON, multipart, raw image bytes). */
export function ApiBodies(content: Record<string, Schema>, { description, required = true }: BodyOptions = {}) {
  const mediaTypes = Object.fromEntries(Object.entries(content).map(([type, schema]) => [type, { schema }]));
  return mergeOperation({ requestBody: { required, description, content: mediaTypes } });
}

/** Adds fields to the operation; ApiOperation() itself would reset an earlier summary to ''. */
function mergeOperation(fields: Partial<OperationObject>): MethodDecorator {
  return (_target, _key, descriptor) => {
    const previous = (Reflect.getMetadata(DECORATORS.API_OPERATION, descriptor.value as object) ?? {}) as object;
    Reflect.defineMetadata(DECORATORS.API_OPERATION, { ...previous, ...fields }, descriptor.value as object);
  };
}

/** A JSON request body. */
export function ApiJsonBody(schema: Schema, options?: BodyOptions): MethodDecorator {
  return ApiBodies({ 'application/json': schema }, options);
}

/** A raw image body: its schema for each accepted image media type. */
export function imageBodies(): Record<string, Schema> {
  return Object.fromEntries(IMAGE_MEDIA_TYPES.map((type) => [type, binary]));
}

/** A multipart/form-data body; every field listed is required. */
export function multipart(fields: Record<string, SchemaObject>): SchemaObject {
  return { type: 'object', properties: fields, required: Object.keys(fields) };
}

/** Multipart fields: one binary file, several binary files (the same field repeated), or text. */
export const formField = {
  file: (description: string): SchemaObject => ({ ...binary, description }),
  files: (description: string): SchemaObject => ({ type: 'array', items: binary, description }),
  text: (description: string): SchemaObject => ({ type: 'string', description }),
};

/** Query parameters derived from the zod schema the handler validates its query with. */
export function ApiQueryFrom(schema: z.ZodObject): MethodDecorator {
  const json = tidy(z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input' })) as SchemaObject;
  const required = new Set(json.required ?? []);
  const parameters = Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property as SchemaObject;
    return ApiQuery({ name, required: required.has(name), description, schema: rest });
  });
  return applyDecorators(...parameters);
}

/** A success response with a JSON body described by a named zod schema. */
export function ApiResult(status: number, schema: z.ZodType, description: string): MethodDecorator {
  return ApiResponse({ status, description, schema: schemaRef(schema) });
}

/** Path parameters shared by the model-scoped routes. */
export function ApiModelParams(options: { version?: boolean } = {}): MethodDecorator & ClassDecorator {
  const name = ApiParam({ name: 'name', description: 'Model name', schema: { type: 'string' } });
  if (!options.version) return name;
  return applyDecorators(name, ApiParam({ name: 'version', description: 'Model version', schema: { type: 'string' } }));
}

/** A UUID path parameter. */
export function ApiUuidParam(name: string, description: string): MethodDecorator & ClassDecorator {
  return ApiParam({ name, description, schema: { type: 'string', format: 'uuid' } });
}

/** A success response that is not JSON (HTML, scripts, Prometheus text): one string schema per media type. */
export function ApiTextResult(status: number, description: string, mediaTypes: string[]): MethodDecorator {
  const content = Object.fromEntries(mediaTypes.map((type) => [type, { schema: { type: 'string' as const } }]));
  return ApiResponse({ status, description, content });
}
