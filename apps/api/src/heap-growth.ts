/*
 * How far V8 lets the old generation grow past what the last full collection kept, set before
 * the heap fills. Under a stream of uploads V8's own rule, which shrinks the step when the
 * collector is busy, settled at 1.1–1.2× of the API's ~42 MB: a full collection every ~100 ms,
 * each marking every module's code again, about 1.5 ms of CPU per 3 MB upload. Doubling costs
 * at most that heap once more in memory. A --heap-growing-percent given to node still wins.
 */
import { setFlagsFromString } from 'node:v8';

if (!process.execArgv.some((arg) => arg.startsWith('--heap-growing-percent'))) {
  setFlagsFromString('--heap-growing-percent=100');
}
