import { differingLines, transcriptionOutcome } from './review-outcome';

const v = (...values: number[]) => ({ values, rejected: false });
const reject = { values: null, rejected: true };

describe('transcriptionOutcome', () => {
  it('waits until every required transcription is in', () => {
    expect(transcriptionOutcome([v(1, 2)], 2)).toEqual({ status: 'in_review' });
  });

  it('makes equal transcriptions final', () => {
    expect(transcriptionOutcome([v(1, 2), v(1, 2)], 2)).toEqual({ status: 'reviewed', finalValues: [1, 2] });
    expect(transcriptionOutcome([v(5)], 1)).toEqual({ status: 'reviewed', finalValues: [5] });
  });

  it('sends any difference, or one reject among values, to arbitration', () => {
    expect(transcriptionOutcome([v(1, 2), v(1, 3)], 2)).toEqual({ status: 'needs_arbitration' });
    expect(transcriptionOutcome([v(1, 2), reject], 2)).toEqual({ status: 'needs_arbitration' });
    expect(transcriptionOutcome([v(1, 2), v(1, 2), reject], 3)).toEqual({ status: 'needs_arbitration' });
  });

  it('rejects on two rejects, or one when one transcription is required', () => {
    expect(transcriptionOutcome([reject, reject], 2)).toEqual({ status: 'rejected' });
    expect(transcriptionOutcome([reject, reject], 3)).toEqual({ status: 'rejected' });
    expect(transcriptionOutcome([reject], 1)).toEqual({ status: 'rejected' });
    expect(transcriptionOutcome([reject], 2)).toEqual({ status: 'in_review' });
  });
});

describe('differingLines', () => {
  it('names the lines whose values differ', () => {
    expect(differingLines([1, 2, 3], [v(1, 2, 3), v(1, 9, 3), v(1, 2, 4)])).toEqual([2, 3]);
    expect(differingLines([1, 2], [v(1, 2), v(1, 2)])).toEqual([]);
  });

  it('counts every line as differing when someone rejected', () => {
    expect(differingLines([1, 2], [v(1, 2), reject])).toEqual([1, 2]);
  });
});
