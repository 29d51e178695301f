import { compareModes, emptySide } from './mode-comparison';
import { ModeSideDto } from './evoting.dto';

const side = (votes: Record<number, number>): ModeSideDto => {
  const valid = Object.values(votes).reduce((s, v) => s + v, 0);
  const lines = Object.entries(votes).map(([n, v]) => ({
    n: Number(n),
    key: `l${n}`,
    votes: v,
    share: (100 * v) / valid,
  }));
  const best = [...lines].sort((x, y) => y.votes - x.votes || x.n - y.n)[0];
  return { precincts: 1, valid, lines, leader: best.votes > 0 ? { n: best.n, key: best.key } : null };
};

describe('compareModes', () => {
  it('flags a reversal and measures the swing against the new leader', () => {
    const paper = side({ 13: 40, 17: 30, 19: 30 });
    const combined = side({ 13: 30, 17: 50, 19: 20 });
    const c = compareModes(paper, emptySide([]), combined);
    expect(c.reversed).toBe(true);
    expect(c.challenger).toEqual({ n: 17, key: 'l17' });
    // margin 13 over 17: +10 on paper, −20 combined.
    expect(c.swing).toBeCloseTo(-30, 6);
  });

  it('measures a kept lead against the paper runner-up, ties to the earlier line', () => {
    const paper = side({ 13: 50, 17: 25, 19: 25 });
    const combined = side({ 13: 45, 17: 35, 19: 20 });
    const c = compareModes(paper, emptySide([]), combined);
    expect(c.reversed).toBe(false);
    expect(c.challenger).toEqual({ n: 17, key: 'l17' });
    expect(c.swing).toBeCloseTo(10 - 25, 6);
  });

  it('has no swing when paper has no votes', () => {
    const c = compareModes(emptySide([{ n: 13, key: 'a' }]), emptySide([]), side({ 13: 5 }));
    expect(c).toMatchObject({ reversed: false, challenger: null, swing: null });
  });
});
