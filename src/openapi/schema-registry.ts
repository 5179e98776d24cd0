import type { ReferenceObject, SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';

/** Request bodies are documented as clients send them (defaults optional), responses as served. */
type Direction = 'input' | 'output';

const registries: Record<Direction, z.core.$ZodRegistry<{ id: string }>> = {
  input: z.registry<{ id: string }>(),
  output: z.registry<{ id: string }>(),
};
const byId = new Map<string, z.ZodType>();

/** Names a zod schema as an OpenAPI component; the document lists it under components.schemas. */
export function named<T extends z.ZodType>(id: string, schema: T, direction: Direction = 'output'): T {
  const registry = registries[direction];
  const existing = registry.get(schema)?.id;
  if (existing === id) return schema;
  if (existing) throw new Error(`schema ${id} is already documented as ${existing}`);
  registry.add(schema, { id });
  byId.set(id, schema);
  return schema;
}

/** The zod schema behind a component, to check real answers against what the document says. */
export function documentedSchema(id: string): z.ZodType | undefined {
  return byId.get(id);
}

/** A request body schema (one of the DTO schemas the controllers validate with) as a component. */
export function requestRef(id: string, schema: z.ZodType): ReferenceObject {
  named(id, schema, 'input');
  return ref(id);
}

/** A reference to a schema already named with `named()`. */
export function schemaRef(schema: z.ZodType): ReferenceObject {
  const id = registries.output.get(schema)?.id ?? registries.input.get(schema)?.id;
  if (!id) throw new Error('schema is not named; wrap it in named()');
  return ref(id);
}

function ref(id: string): ReferenceObject {
  return { $ref: `#/components/schemas/${id}` };
}

/** Every named schema as OpenAPI 3.0 schema objects, converted by zod's own JSON Schema generator. */
export function componentSchemas(): Record<string, SchemaObject> {
  const components: Record<string, SchemaObject> = {};
  for (const io of ['input', 'output'] as const) {
    const { schemas } = z.toJSONSchema(registries[io], {
      target: 'openapi-3.0',
      io,
      uri: (id) => `#/components/schemas/${id}`,
    });
    for (const [id, schema] of Object.entries(schemas)) {
      if (components[id]) throw new Error(`component ${id} is documented twice`);
      components[id] = tidy(schema) as SchemaObject;
    }
  }
  return components;
}

const formatsWithPattern = new Set(['uuid', 'date-time', 'email', 'uri']);

/** OpenAPI 3.0 has no `$id`; zod's long regexes beside a `format` say nothing the format does not. */
export function tidy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(tidy);
  if (typeof value !== 'object' || value === null) return value;
  const { $id: _id, $schema: _schema, ...rest } = value as Record<string, unknown>;
  if (typeof rest.format === 'string' && formatsWithPattern.has(rest.format)) delete rest.pattern;
  return Object.fromEntries(Object.entries(rest).map(([key, inner]) => [key, tidy(inner)]));
}
