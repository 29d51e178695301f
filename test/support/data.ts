import { join } from 'node:path';

/** The real 2021 official results shipped beside the project. */
export const DUMA_2021_DIR = join(__dirname, '..', '..', '..', 'shared', 'data', 'duma2021');
export const MOSCOW_CSV = join(DUMA_2021_DIR, 'results-2021-federal-moscow.csv');
export const NATIONAL_CSV_GZ = join(DUMA_2021_DIR, 'results-2021-federal.csv.gz');
