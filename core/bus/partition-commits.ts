/**
 * One partition's offset commits, in offset order, for batches still being written (BatchInHand): a consumer
 * hands a partition's batches out one after another, their writes may finish in any order, and an offset is
 * committed only once its batch and every earlier one are written.
 *
 * A write that fails freezes the partition's commits: nothing from the failed batch on is committed, so a
 * restart of the consumer delivers all of it again (the ingest's writes fail only when it stops; while
 * running they are retried). The lag then grows, which the ingest-lag alert shows.
 */
import type { Logger } from '../log.js';

export class PartitionCommits {
  private tail: Promise<void> = Promise.resolve();
  private frozen = false;
  private waiting = 0;

  constructor(
    private readonly where: { topic: string; partition: number },
    private readonly log: Logger,
  ) {}

  /** Queues a batch: `commit` runs after `written` and after every batch queued before it. Never rejects. */
  add(written: Promise<void>, commit: () => Promise<void>): Promise<void> {
    // a write that fails while an earlier one is pending must not be an unhandled rejection meanwhile
    written.catch(() => undefined);
    this.waiting++;
    this.tail = this.tail.then(async () => {
      try {
        if (this.frozen) return;
        await written;
        await commit();
      } catch (err) {
        this.frozen = true;
        this.log.error(
          { err, ...this.where },
          'a batch was not written, or its offsets not committed: this partition commits nothing more until the consumer restarts, which delivers it again',
        );
      } finally {
        this.waiting--;
      }
    });
    return this.tail;
  }

  /** Batches whose commit has not run yet. */
  get pending(): number {
    return this.waiting;
  }

  /** Resolves when every queued batch was committed (or skipped after a failure). */
  settled(): Promise<void> {
    return this.tail;
  }
}
