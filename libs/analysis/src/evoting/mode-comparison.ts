import { LineRefDto, ModeComparisonDto, ModeSideDto } from './evoting.dto';

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** A side with no precincts: every line at zero and no leader. */
export function emptySide(candidates: LineRefDto[]): ModeSideDto {
  return { precincts: 0, valid: 0, lines: candidates.map((c) => ({ ...c, votes: 0, share: 0 })), leader: null };
}

/** Second place on a side: most votes after the leader, ties to the earlier line. */
function runnerUp(side: ModeSideDto): LineRefDto | null {
  const leader = side.leader?.n;
  const rest = side.lines.filter((l) => l.n !== leader && l.votes > 0);
  rest.sort((a, b) => b.votes - a.votes || a.n - b.n);
  return rest[0] ? { n: rest[0].n, key: rest[0].key } : null;
}

const shareOf = (side: ModeSideDto, n: number) => side.lines.find((l) => l.n === n)?.share ?? 0;

/**
 * Whether adding the e-voting units changed the leader, and by how much they moved the race:
 * the swing is the paper leader's margin over the challenger with e-voting minus the same margin
 * on paper, in percentage points. The challenger is the combined leader when the lead changed
 * hands, else the runner-up on paper, so a negative swing always means "away from the paper leader".
 */
export function compareModes(paper: ModeSideDto, evoting: ModeSideDto, combined: ModeSideDto): ModeComparisonDto {
  const a = paper.leader;
  const reversed = !!a && !!combined.leader && combined.leader.n !== a.n;
  const challenger = !a ? null : reversed ? combined.leader : runnerUp(paper);
  const swing =
    a && challenger
      ? round4(
          shareOf(combined, a.n) -
            shareOf(combined, challenger.n) -
            (shareOf(paper, a.n) - shareOf(paper, challenger.n)),
        )
      : null;
  return { paper, evoting, combined, reversed, challenger, swing };
}
