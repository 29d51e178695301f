import { BadRequestException, PipeTransform } from '@nestjs/common';

/** The largest precinct id: the column is a PostgreSQL `int`. */
const MAX_PRECINCT_ID = 2_147_483_647;

/**
 * A precinct id from the path: a whole number the `int` column can hold. `ParseIntPipe` let
 * through ids past 2^31, which PostgreSQL then refused with a 500.
 */
export class PrecinctIdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const id = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
    if (!(id >= 1 && id <= MAX_PRECINCT_ID)) {
      throw new BadRequestException(`the precinct id must be a whole number from 1 to ${MAX_PRECINCT_ID}`);
    }
    return id;
  }
}
