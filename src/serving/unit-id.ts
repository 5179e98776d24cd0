import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { invalid } from '../common/domain-error';

/** Longest `x-unit-id` accepted: it is stored with every prediction, so it must stay an id. */
export const MAX_UNIT_ID_LENGTH = 128;

export const UNIT_ID_DESCRIPTION = `Unit id for sticky A/B assignment (at most ${MAX_UNIT_ID_LENGTH} characters); logged`;

/** The request's unit id, checked before any work is done for it. */
export function unitIdOf(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header.join(', ') : header;
  if (value !== undefined && value.length > MAX_UNIT_ID_LENGTH) {
    throw invalid(
      'unit_id_too_long',
      `the x-unit-id header has ${value.length} characters; at most ${MAX_UNIT_ID_LENGTH} are accepted`,
      { header: 'x-unit-id', length: value.length, limit: MAX_UNIT_ID_LENGTH },
    );
  }
  return value;
}

/** `@UnitId() unitId?: string`: the x-unit-id header, bounded (400 naming the header beyond it). */
export const UnitId = createParamDecorator((_: unknown, context: ExecutionContext) =>
  unitIdOf(context.switchToHttp().getRequest<Request>().headers['x-unit-id']),
);
