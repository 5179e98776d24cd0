import { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { json, raw, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { IncomingMessage } from 'node:http';
import { from, type Observable, switchMap } from 'rxjs';
import { readsOwnBody } from '../serving/oip-body-routes';

/** A body parser's type check that skips the routes reading their own body (the OIP infer routes). */
const parsedHere = (types: string[]) => (message: IncomingMessage) => {
  const request = message as Request; // body-parser hands over express' request
  return !readsOwnBody(request.path) && Boolean(request.is(types));
};

/**
 * Reads JSON and raw (image, octet-stream) bodies. Nest runs interceptors after every guard, so a
 * request without a valid key or with the wrong scope is answered (401/403/429) before a byte of its
 * body is read: it costs no parsing. Registered as the first global interceptor (api-app.ts);
 * multipart bodies are read by multer's route interceptors and the OIP infer routes read their own
 * (readRequestBody), both also after the guards. Unmatched routes (404) never read their body.
 */
export class BodyAfterAuthInterceptor implements NestInterceptor {
  private readonly parsers: RequestHandler[];

  constructor(maxBytes: number) {
    this.parsers = [
      json({ type: parsedHere(['application/json']), limit: maxBytes }),
      raw({ type: parsedHere(['image/*', 'application/octet-stream']), limit: maxBytes }),
    ];
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    return from(this.parse(http.getRequest<Request>(), http.getResponse<Response>())).pipe(
      switchMap(() => next.handle()),
    );
  }

  /** The first parser whose type matches reads the body; the others see it is read and pass. */
  private async parse(request: Request, response: Response): Promise<void> {
    for (const parser of this.parsers) {
      await new Promise<void>((resolve, reject) => {
        const done: NextFunction = (error?: unknown) => (error ? reject(error as Error) : resolve());
        parser(request, response, done);
      });
    }
  }
}
