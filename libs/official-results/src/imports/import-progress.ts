/**
 * Writes progress at most every `intervalMs`, one write at a time, outside the import's
 * transaction. `stop()` waits for the last write: after it nothing more is written, so the
 * final status update never races a late progress write on the same row.
 */
export class ProgressWriter {
  private last = 0;
  private highest = 0;
  private pending: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly write: (rowsDone: number) => Promise<void>,
    private readonly intervalMs = 250,
  ) {}

  /** Counts below one already written are ignored: a file read a second time never goes back. */
  rows(rowsDone: number): void {
    const now = Date.now();
    if (this.stopped || now - this.last < this.intervalMs || rowsDone <= this.highest) return;
    this.last = now;
    this.highest = rowsDone;
    this.pending = this.pending.then(() => (this.stopped ? undefined : this.write(rowsDone))).catch(() => undefined);
  }

  /** Tells the writer of a count written elsewhere, so that it never writes a lower one. */
  reached(rowsDone: number): void {
    this.highest = Math.max(this.highest, rowsDone);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.pending;
  }
}
