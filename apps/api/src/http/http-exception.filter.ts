import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { QueryFailedError } from 'typeorm';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
}

/**
 * One error shape for every answer: `{statusCode, error, message}` with `message` a sentence.
 * Anything that is not an HttpException is a defect: logged with its stack, answered as a 500
 * that says nothing of the internals.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse();
    const request = http.getRequest();
    const body = this.toBody(exception);
    if (body.statusCode >= 500) {
      this.logger.error(
        `${request.method} ${request.url} → ${body.statusCode}: ${(exception as Error)?.message}`,
        (exception as Error)?.stack,
      );
    }
    if (response.headersSent) {
      response.destroy?.();
      return;
    }
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const raw = exception.getResponse();
      let message: unknown = typeof raw === 'string' ? raw : (raw as { message?: unknown }).message;
      if (Array.isArray(message)) message = message.join('; ');
      return {
        statusCode: status,
        error: STATUS_CODES[status] ?? 'Error',
        message: String(message ?? exception.message),
      };
    }
    if (exception instanceof QueryFailedError) {
      const code = (exception.driverError as { code?: string }).code;
      // invalid_text_representation: an id that is not a UUID or number reached a query.
      if (code === '22P02') {
        return {
          statusCode: HttpStatus.BAD_REQUEST,
          error: 'Bad Request',
          message: 'An identifier in the request is malformed',
        };
      }
      // character_not_in_repertoire: PostgreSQL text cannot hold a NUL character.
      if (code === '22021') {
        return {
          statusCode: HttpStatus.BAD_REQUEST,
          error: 'Bad Request',
          message: 'Text in the request holds a NUL character (\\u0000), which cannot be stored',
        };
      }
      // numeric_value_out_of_range: a number the request gave is past what its column holds.
      if (code === '22003') {
        return {
          statusCode: HttpStatus.BAD_REQUEST,
          error: 'Bad Request',
          message: 'A number in the request is out of range',
        };
      }
    }
    return { statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' };
  }
}
