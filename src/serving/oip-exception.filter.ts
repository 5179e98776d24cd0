import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { describeError, sendError } from '../common/http-exception.filter';
import { oipError } from '../inference/oip';

/** The Open Inference Protocol's error shape: `{ "error": "<message>" }`, same statuses as elsewhere. */
@Catch()
export class OipExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('OipErrors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const error = describeError(exception, this.logger, context.getRequest<Request>());
    const message = error.errorId ? `${error.message} (error id ${error.errorId})` : error.message;
    sendError(context.getResponse<Response>(), error, oipError(message));
  }
}
