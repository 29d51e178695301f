import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { QueryFailedError } from 'typeorm';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
}

/** PostgreSQL errors that only a request's own values cause (by SQLSTATE): a 400 with this message. */
const CLIENT_ERRORS: Record<string, string> = {
  // invalid_text_representation: an id that is not a UUID or number reached a query.
  '22P02': 'An identifier in the request is malformed',
  // character_not_in_repertoire: PostgreSQL text cannot hold a NUL character.
  '22021': 'Text in the request holds a NUL character (\\u0000), which cannot be stored',
  // numeric_value_out_of_range: a number the request gave is past what its column holds.
  '22003': 'A number in the request is out of range',
};

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
    const refused = bodyParserRefusal(exception);
    if (refused) return refused;
    if (exception instanceof QueryFailedError) {
      const message = CLIENT_ERRORS[(exception.driverError as { code?: string }).code ?? ''];
      if (message) return { statusCode: HttpStatus.BAD_REQUEST, error: 'Bad Request', message };
    }
    return { statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' };
  }
}

/** What the JSON body parser (an `http-errors` error) says of a request it would not read. */
interface BodyParserError extends Error {
  status: number;
  expose: boolean;
  type?: string;
  limit?: number;
  charset?: string;
  encoding?: string;
}

/**
 * A body the JSON parser refused (too large, an unsupported charset or content encoding, an
 * aborted request) is the client's error: its 4xx, in a sentence. Nest itself maps only the
 * parser's SyntaxError (malformed JSON) to a 400, so the rest arrived here as 500s.
 */
function bodyParserRefusal(exception: unknown): ErrorBody | undefined {
  if (!(exception instanceof Error)) return undefined;
  const e = exception as Partial<BodyParserError>;
  if (e.expose !== true || typeof e.status !== 'number' || e.status < 400 || e.status >= 500) return undefined;
  const messages: Record<string, string> = {
    'entity.too.large': `The request body is larger than the ${Math.round((e.limit ?? 0) / 1024)} kB this route reads`,
    'charset.unsupported': `The charset "${e.charset}" is not supported: send JSON as UTF-8`,
    'encoding.unsupported': `The content encoding "${e.encoding}" is not supported`,
  };
  const text = exception.message;
  const message = messages[e.type ?? ''] ?? text.charAt(0).toUpperCase() + text.slice(1);
  return { statusCode: e.status, error: STATUS_CODES[e.status] ?? 'Error', message };
}
