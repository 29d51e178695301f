import { RatioViolationsException } from '@app/review';
import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';

/** The 422 of a submit carries the broken ratios, beside the usual error shape. */
@Catch(RatioViolationsException)
export class RatioViolationsFilter implements ExceptionFilter {
  catch(exception: RatioViolationsException, host: ArgumentsHost): void {
    host.switchToHttp().getResponse().status(422).json({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: exception.message,
      ratioViolations: exception.ratioViolations,
    });
  }
}
