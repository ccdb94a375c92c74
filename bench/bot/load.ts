/**
 * The relay bench's customers and watcher, in a process of their own (spawned
 * by `bench/bot/run.ts`, which holds the desk): the bench measures the desk's
 * thread, so the load it plays — posting customer messages and polling the
 * support group back to back — must not run on that thread, just as Telegram
 * and the customers don't in production.
 *
 * Talks to its parent over IPC: `warm` once every ticket is open (the parent
 * lets the relay settle and answers `go`), `latency` with the percentiles,
 * `throughput-start` before the throughput phase (answered by `go` once the
 * parent has its CPU mark), then `throughput`.
 */
import { SandboxClient } from '../../sandbox/index.js';

const SUPPORT = -1002000000001;

export interface LoadPlan {
  port: number;
  customers: number;
  rate: number;
  latencyMessages: number;
  total: number;
  pollMs: number;
}

export type LoadReport =
  | { type: 'warm'; seconds: number }
  | { type: 'latency'; p50: number; p90: number; p99: number; max: number }
  | { type: 'throughput-start' }
  | { type: 'throughput'; seconds: number; postingSeconds: number };

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/** Watches the support group: resolves each awaited text when its copy appears. */
class GroupWatcher {
  private lastId = 0;
  private waiting = new Map<string, (t: number) => void>();
  private seen = new Map<string, number>();
  private running = true;
  private loop: Promise<void>;

  constructor(
    private readonly client: SandboxClient,
    private readonly pollMs: number,
  ) {
    this.loop = this.run();
  }

  expect(text: string): Promise<number> {
    const at = this.seen.get(text);
    if (at !== undefined) return Promise.resolve(at);
    return new Promise((resolve) => this.waiting.set(text, resolve));
  }

  private async run(): Promise<void> {
    while (this.running) {
      const msgs = await this.client.getChatMessages(SUPPORT, { since: this.lastId });
      const now = performance.now();
      for (const m of msgs) {
        this.lastId = Math.max(this.lastId, m.message_id);
        const text = m.text ?? '';
        const w = this.waiting.get(text);
        if (w) {
          this.waiting.delete(text);
          w(now);
        } else this.seen.set(text, now);
      }
      // A short pause keeps the watcher from hogging the sandbox; it bounds the timing error at ~2 ms.
      await new Promise((r) => setTimeout(r, this.pollMs));
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}

function report(r: LoadReport): void {
  process.send!(r);
}

function parentSaysGo(): Promise<void> {
  return new Promise((resolve) => process.once('message', () => resolve()));
}

async function play(plan: LoadPlan): Promise<void> {
  const client = new SandboxClient(`http://127.0.0.1:${plan.port}`);
  const watcher = new GroupWatcher(client, plan.pollMs);
  const ids = Array.from({ length: plan.customers }, (_, i) => 900_000 + i);
  try {
    // 1. Warm-up: every customer has a ticket and a topic.
    let t = performance.now();
    await Promise.all(ids.map((id) => client.sendCustomerMessage(id, { text: `warm-${id}`, first_name: `B${id}` }).then(() => watcher.expect(`warm-${id}`))));
    // Opening goes on after the copy (receipt, ETA, category keyboard): measure only once it is all done.
    await Promise.all(ids.map((id) => client.waitForCustomerMessage(id, (m) => (m.buttons?.flat().length ?? 0) > 1, { timeoutMs: 120_000 })));
    await client.waitForIdle({ timeoutMs: 60_000 });
    const go = parentSaysGo();
    report({ type: 'warm', seconds: (performance.now() - t) / 1000 });
    await go;

    // 2. Latency at a steady rate.
    const latencies: number[] = [];
    const interval = 1000 / plan.rate;
    const start = performance.now();
    const pending: Promise<void>[] = [];
    for (let i = 0; i < plan.latencyMessages; i++) {
      const due = start + i * interval;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const text = `lat-${i}`;
      const posted = performance.now();
      const seen = watcher.expect(text);
      pending.push(
        client
          .sendCustomerMessage(ids[i % plan.customers]!, text)
          .then(() => seen)
          .then((at) => void latencies.push(at - posted)),
      );
    }
    await Promise.all(pending);
    latencies.sort((a, b) => a - b);
    report({ type: 'latency', p50: pct(latencies, 50), p90: pct(latencies, 90), p99: pct(latencies, 99), max: latencies.at(-1)! });

    // 3. Throughput: as fast as possible, 32 posts in flight.
    const go2 = parentSaysGo();
    report({ type: 'throughput-start' });
    await go2;
    t = performance.now();
    const copies: Promise<number>[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < plan.total) {
          const i = next++;
          copies.push(watcher.expect(`tp-${i}`));
          await client.sendCustomerMessage(ids[i % plan.customers]!, `tp-${i}`);
        }
      }),
    );
    const postedAll = performance.now();
    const last = Math.max(...(await Promise.all(copies)));
    report({ type: 'throughput', seconds: (last - t) / 1000, postingSeconds: (postedAll - t) / 1000 });
  } finally {
    await watcher.stop();
  }
}

// Run as the bench's child: the plan comes as the first IPC message.
if (process.send) {
  process.once('message', (plan: LoadPlan) => {
    play(plan).then(
      () => process.disconnect(),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  });
}
