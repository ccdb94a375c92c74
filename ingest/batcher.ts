/**
 * Groups parts (one bus batch, or one slice of an import file) into inserts of
 * about `maxItems` rows, or whatever arrived within `maxWaitMs` of the first
 * part; up to `maxItemsBehind` rows while more than `maxItems` are waiting. `add` resolves when the insert holding that part succeeded, so a
 * consumer commits its offsets only after its rows are in ClickHouse.
 *
 * One flush runs at a time: while ClickHouse writes one block, the next one
 * fills (decoding overlaps inserting), and a slow or failing ClickHouse turns
 * into back-pressure instead of a pile of concurrent inserts.
 */
export interface BatcherOptions<P> {
  maxItems: number;
  /**
   * Items one flush takes while behind (default maxItems): once more than maxItems were waiting when a flush
   * started, the next flushes take up to this many, and start when that many wait or maxWaitMs passed.
   * Fewer, bigger inserts under a backlog (each costs ClickHouse a fixed amount plus parts to merge); the
   * usual size and latency when keeping up.
   */
  maxItemsBehind?: number;
  /**
   * While behind and short of maxItemsBehind, a flush also starts once no part arrived for this long (default
   * 50 ms): a source may wait for its part's insert before it sends more (a bus partition does while the
   * ingest's buffer is full), so when they all wait, nothing more can come.
   */
  idleMs?: number;
  maxWaitMs: number;
  sizeOf(part: P): number;
  flush(parts: P[]): Promise<void>;
}

interface Pending<P> {
  part: P;
  size: number;
  resolve(): void;
  reject(e: unknown): void;
}

export class Batcher<P> {
  private pending: Pending<P>[] = [];
  private pendingItems = 0;
  private flushingItems = 0;
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private due = false;
  private idleWaiters: (() => void)[] = [];
  /** More than maxItems were waiting when the last flush started. */
  private behind = false;

  constructor(private readonly o: BatcherOptions<P>) {}

  /** Items waiting or being inserted. */
  get buffered(): number {
    return this.pendingItems + this.flushingItems;
  }

  /** Items waiting for a flush (not those being inserted). */
  get waiting(): number {
    return this.pendingItems;
  }

  /** Items that make a flush due without waiting for the timer. */
  private get full(): number {
    return this.behind ? Math.max(this.o.maxItems, this.o.maxItemsBehind ?? 0) : this.o.maxItems;
  }

  add(part: P): Promise<void> {
    const size = this.o.sizeOf(part);
    const done = new Promise<void>((resolve, reject) => this.pending.push({ part, size, resolve, reject }));
    this.pendingItems += size;
    if (this.pendingItems >= this.full) this.due = true;
    else {
      this.timer ??= setTimeout(() => this.markDue(), this.o.maxWaitMs);
      this.restartIdle();
    }
    this.kick();
    return done;
  }

  /** Writes everything pending now (shutdown, end of an import); resolves when idle. */
  async drain(): Promise<void> {
    while (this.pending.length > 0 || this.flushing) {
      this.markDue();
      await new Promise<void>((r) => this.idleWaiters.push(r));
    }
  }

  /** Behind and between flushes: flush when no part came for idleMs (the sources all wait on their inserts). */
  private restartIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (!this.behind || this.flushing || this.due || this.pending.length === 0) return;
    this.idleTimer = setTimeout(() => this.markDue(), Math.min(this.o.idleMs ?? 50, this.o.maxWaitMs));
  }

  private markDue(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.timer = undefined;
    this.idleTimer = undefined;
    this.due = true;
    this.kick();
  }

  private kick(): void {
    if (this.flushing || !this.due || this.pending.length === 0) return;
    this.behind = this.pendingItems > this.o.maxItems;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    // Take whole parts up to the limit; the rest makes the next flush.
    const limit = this.full;
    let n = 0;
    let items = 0;
    while (n < this.pending.length && (n === 0 || items + this.pending[n]!.size <= limit)) items += this.pending[n++]!.size;
    const take = this.pending.splice(0, n);
    this.pendingItems -= items;
    this.flushingItems = items;
    this.due = this.pendingItems >= this.full;
    if (this.pending.length > 0 && !this.due) this.timer ??= setTimeout(() => this.markDue(), this.o.maxWaitMs);
    this.flushing = this.o
      .flush(take.map((p) => p.part))
      .then(
        () => take.forEach((p) => p.resolve()),
        (e: unknown) => take.forEach((p) => p.reject(e)),
      )
      .finally(() => {
        this.flushing = undefined;
        this.flushingItems = 0;
        this.kick();
        this.restartIdle();
        if (!this.flushing) {
          const ws = this.idleWaiters;
          this.idleWaiters = [];
          ws.forEach((w) => w());
        }
      });
  }
}
