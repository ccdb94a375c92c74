/**
 * The Bus without Kafka: a durable append-only log in one directory, for the
 * all-in-one `npm start`. Same contract as Kafka, scaled down:
 *
 *  - a topic has N partitions; a message goes to hash(key) mod N, so one
 *    ticket's events stay in order (null keys rotate over the partitions);
 *  - `send` resolves after the records are written and fdatasync'ed;
 *  - a consumer group's committed offsets are persisted (write + fsync +
 *    rename), only after its eachBatch resolved and, for a batch handed back
 *    in hand, was written, in offset order: at least once across a crash;
 *  - consumers wait on an in-process wake-up when they reach the end of a
 *    partition instead of polling.
 *
 * Layout:  DIR/LOCK                                 pid of the owning process
 *          DIR/topics/<topic>/meta.json             {"partitions": N}
 *          DIR/topics/<topic>/<p>/<base offset>.log records from that offset on (segments)
 *          DIR/groups/<group>.json                  {"<topic>/<p>": next offset}
 *
 * Retention: a partition's last segment rolls over at `segmentBytes`, and a
 * segment is deleted once every consumer group with an offset for the
 * partition has committed past it, so the log holds roughly what is not yet
 * ingested plus one segment. A topic no group reads (the DLQ) is kept whole.
 *
 * Record: u32 length, u32 crc32(body), body = u32 keyLen (0xffffffff = null),
 * key, u32 headersLen, headers (JSON), value. A torn tail (crash mid-write) fails
 * its length or CRC check on open and is truncated away: it was never acknowledged.
 *
 * One process owns a directory (the LOCK file), and one consumer per group runs
 * at a time: there is no group coordinator to share partitions.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { logger } from '../log.js';
import { PartitionCommits } from './partition-commits.js';
import type { Bus, BusConsumer, BusProducer, ConsumedMessage, OutgoingMessage, PartitionLag, RunOptions } from './types.js';

const log = logger('bus.embedded');
const NULL_KEY = 0xffffffff;
const HEADER = 8;

export interface EmbeddedBusOptions {
  dir: string;
  /** Partitions of a topic created implicitly by send() or ensureTopics without a count. */
  defaultPartitions: number;
  /** Largest batch handed to eachBatch. */
  maxBatchMessages?: number;
  /** First and longest back-off before a failed batch is delivered again. */
  retryBackoffMs?: [number, number];
  /** Size at which a partition starts a new segment file (default 64 MiB). */
  segmentBytes?: number;
}

/** FNV-1a over the key's UTF-8 bytes: stable across runs and processes. */
export function partitionForKey(key: string, partitions: number): number {
  let h = 0x811c9dc5;
  const bytes = Buffer.from(key, 'utf8');
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193);
  return (h >>> 0) % partitions;
}

function encode(m: OutgoingMessage): Buffer {
  const key = m.key === null ? null : Buffer.from(m.key, 'utf8');
  const headers = Buffer.from(m.headers && Object.keys(m.headers).length > 0 ? JSON.stringify(m.headers) : '', 'utf8');
  const value = typeof m.value === 'string' ? Buffer.from(m.value, 'utf8') : m.value;
  const bodyLen = 4 + (key?.length ?? 0) + 4 + headers.length + value.length;
  const buf = Buffer.allocUnsafe(HEADER + bodyLen);
  let o = HEADER;
  o = buf.writeUInt32LE(key ? key.length : NULL_KEY, o);
  if (key) o += key.copy(buf, o);
  o = buf.writeUInt32LE(headers.length, o);
  o += headers.copy(buf, o);
  value.copy(buf, o);
  buf.writeUInt32LE(bodyLen, 0);
  buf.writeUInt32LE(crc32(buf.subarray(HEADER)), 4);
  return buf;
}

function decode(body: Buffer, topic: string, partition: number, offset: number): ConsumedMessage {
  let o = 0;
  const keyLen = body.readUInt32LE(o);
  o += 4;
  let key: Buffer | null = null;
  if (keyLen !== NULL_KEY) {
    key = body.subarray(o, o + keyLen);
    o += keyLen;
  }
  const hLen = body.readUInt32LE(o);
  o += 4;
  const headers = hLen > 0 ? (JSON.parse(body.toString('utf8', o, o + hLen)) as Record<string, string>) : {};
  o += hLen;
  return { topic, partition, offset: String(offset), key, value: body.subarray(o), headers };
}

/** One segment file of a partition: records from offset `base` on, and the byte position of each. */
class Segment {
  readonly positions: number[] = [];
  end = 0;

  private constructor(
    readonly base: number,
    readonly path: string,
    readonly fh: FileHandle,
  ) {}

  /** Opens (creating) a segment file, indexes every complete record and truncates a torn or corrupt tail. */
  static async open(path: string, base: number): Promise<Segment> {
    const seg = new Segment(base, path, await open(path, 'a+'));
    const data = await seg.fh.readFile();
    let pos = 0;
    while (pos + HEADER <= data.length) {
      const len = data.readUInt32LE(pos);
      if (pos + HEADER + len > data.length) break;
      if (crc32(data.subarray(pos + HEADER, pos + HEADER + len)) !== data.readUInt32LE(pos + 4)) break;
      seg.positions.push(pos);
      pos += HEADER + len;
    }
    if (pos < data.length) {
      log.warn({ path, validBytes: pos, fileBytes: data.length }, 'truncating a torn tail of the embedded log');
      await seg.fh.truncate(pos);
    }
    seg.end = pos;
    return seg;
  }

  /** The offset after this segment's last record. */
  get next(): number {
    return this.base + this.positions.length;
  }
}

/** Segment file name: the base offset, zero-padded so names sort like offsets. */
const segmentName = (base: number) => `${String(base).padStart(20, '0')}.log`;

/**
 * One partition: a directory of segment files. Appends go to the last
 * segment, which rolls over at `segmentBytes`; older segments are deleted as
 * whole files once every consumer group has committed past them.
 */
class PartitionLog {
  private segments: Segment[] = [];
  private tail: Promise<void> = Promise.resolve();
  private waiters: (() => void)[] = [];
  /** Reads in flight: a segment is not deleted under a read. */
  private reading = 0;

  private constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly dir: string,
    private readonly segmentBytes: number,
  ) {}

  static async open(dir: string, topic: string, partition: number, segmentBytes: number): Promise<PartitionLog> {
    mkdirSync(dir, { recursive: true });
    const pl = new PartitionLog(topic, partition, dir, segmentBytes);
    const bases = readdirSync(dir)
      .filter((f) => /^\d{20}\.log$/.test(f))
      .map((f) => Number(f.slice(0, 20)))
      .sort((x, y) => x - y);
    for (const base of bases.length > 0 ? bases : [0]) pl.segments.push(await Segment.open(join(dir, segmentName(base)), base));
    return pl;
  }

  private get active(): Segment {
    return this.segments[this.segments.length - 1]!;
  }

  /** The offset the next record gets (Kafka's log end offset). */
  get endOffset(): number {
    return this.active.next;
  }

  /** Appends and fdatasyncs; appends to one partition are serialized. */
  append(records: Buffer[]): Promise<void> {
    const run = this.tail.then(async () => {
      const buf = records.length === 1 ? records[0]! : Buffer.concat(records);
      if (this.active.end > 0 && this.active.end + buf.length > this.segmentBytes) await this.roll();
      const seg = this.active;
      let pos = seg.end;
      // 'a+' writes always go to the end of the file, which is seg.end.
      await seg.fh.write(buf, 0, buf.length, null);
      await seg.fh.datasync();
      for (const r of records) {
        seg.positions.push(pos);
        pos += r.length;
      }
      seg.end = pos;
      this.wakeAll();
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Starts a new segment at the end offset; the directory is synced so the new file survives a crash. */
  private async roll(): Promise<void> {
    this.segments.push(await Segment.open(join(this.dir, segmentName(this.endOffset)), this.endOffset));
    const d = await open(this.dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  }

  /**
   * Up to `max` records from offset `from` on, from one segment. An offset
   * before the oldest kept segment (deleted) or in a gap (a corrupt segment
   * tail was cut) continues at the next record there is.
   */
  async read(from: number, max: number): Promise<ConsumedMessage[]> {
    this.reading++;
    try {
      const seg = this.segments.find((s) => from < s.next && s.positions.length > 0);
      if (!seg) return [];
      const first = Math.max(from, seg.base) - seg.base;
      const last = Math.min(seg.positions.length, first + max);
      const start = seg.positions[first]!;
      const stop = last < seg.positions.length ? seg.positions[last]! : seg.end;
      const buf = Buffer.allocUnsafe(stop - start);
      await seg.fh.read(buf, 0, buf.length, start);
      const out: ConsumedMessage[] = [];
      for (let i = first; i < last; i++) {
        const at = seg.positions[i]! - start;
        const len = buf.readUInt32LE(at);
        out.push(decode(buf.subarray(at + HEADER, at + HEADER + len), this.topic, this.partition, seg.base + i));
      }
      return out;
    } finally {
      this.reading--;
    }
  }

  /** The offset after the oldest segment that could be deleted (it is not the one being written). */
  get oldestDeletableEnd(): number | null {
    return this.segments.length > 1 ? this.segments[0]!.next : null;
  }

  /** Deletes the segments whose every record lies before `offset`; never the active one, never under a read. */
  async deleteBefore(offset: number): Promise<number> {
    let deleted = 0;
    while (this.reading === 0 && this.segments.length > 1 && this.segments[0]!.next <= offset) {
      const seg = this.segments.shift()!;
      await seg.fh.close();
      rmSync(seg.path, { force: true });
      deleted++;
    }
    return deleted;
  }

  /** Resolves when the log holds a record at `offset` or later, or on wake(). */
  waitBeyond(offset: number): Promise<void> {
    if (this.endOffset > offset) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  wakeAll(): void {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }

  async close(): Promise<void> {
    await this.tail;
    this.wakeAll();
    for (const seg of this.segments) await seg.fh.close();
  }
}

class Topic {
  private rr = 0;
  constructor(
    readonly name: string,
    readonly partitions: PartitionLog[],
  ) {}

  partitionFor(key: string | null): number {
    if (key === null) return this.rr++ % this.partitions.length;
    return partitionForKey(key, this.partitions.length);
  }
}

/** Topic names become directory names: keep them to Kafka's alphabet. */
function checkTopicName(name: string): void {
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(name) || name === '.' || name === '..') throw new Error(`invalid topic name: ${JSON.stringify(name)}`);
}

function writeFileAtomic(path: string, data: string): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

function takeLock(dir: string): string {
  const lock = join(dir, 'LOCK');
  try {
    const pid = Number(readFileSync(lock, 'utf8'));
    if (pid && pid !== process.pid) {
      try {
        process.kill(pid, 0);
        throw new Error(`the embedded bus in ${dir} is used by process ${pid}; run one process per DATA_DIR or set KAFKA_BROKERS`);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
      }
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  writeFileSync(lock, String(process.pid));
  return lock;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function createEmbeddedBus(o: EmbeddedBusOptions): Bus {
  const topicsDir = join(o.dir, 'topics');
  const groupsDir = join(o.dir, 'groups');
  mkdirSync(topicsDir, { recursive: true });
  mkdirSync(groupsDir, { recursive: true });
  const lockFile = takeLock(o.dir);
  const maxBatch = o.maxBatchMessages ?? 10_000;
  const segmentBytes = o.segmentBytes ?? 64 * 1024 * 1024;
  const [firstBackoff, maxBackoff] = o.retryBackoffMs ?? [200, 10_000];
  const topics = new Map<string, Promise<Topic>>();
  const activeGroups = new Set<string>();
  /** Running consumers: their topics and in-memory offsets (for retention). */
  const subscribers = new Map<string, { topics: readonly string[]; offsets: Record<string, number> }>();
  const consumers = new Set<BusConsumer>();
  let closed = false;

  /** Opens (creating if needed) a topic; the partition count is fixed at creation. */
  function topic(name: string, partitions?: number): Promise<Topic> {
    let t = topics.get(name);
    if (!t) {
      t = (async () => {
        checkTopicName(name);
        const dir = join(topicsDir, name);
        mkdirSync(dir, { recursive: true });
        const metaPath = join(dir, 'meta.json');
        let n: number;
        try {
          n = (JSON.parse(readFileSync(metaPath, 'utf8')) as { partitions: number }).partitions;
        } catch {
          n = partitions ?? o.defaultPartitions;
          writeFileAtomic(metaPath, JSON.stringify({ partitions: n }));
        }
        const logs = await Promise.all(
          Array.from({ length: n }, (_, p) => {
            // a log written before segments existed becomes the partition's first segment
            const legacy = join(dir, `${p}.log`);
            if (existsSync(legacy)) {
              mkdirSync(join(dir, String(p)), { recursive: true });
              renameSync(legacy, join(dir, String(p), segmentName(0)));
            }
            return PartitionLog.open(join(dir, String(p)), name, p, segmentBytes);
          }),
        );
        return new Topic(name, logs);
      })();
      topics.set(name, t);
      t.catch(() => topics.delete(name));
    }
    return t;
  }

  function readOffsets(group: string): Record<string, number> {
    try {
      return JSON.parse(readFileSync(join(groupsDir, `${encodeURIComponent(group)}.json`), 'utf8')) as Record<string, number>;
    } catch {
      return {};
    }
  }

  /**
   * Retention: deletes a partition's segments that every consumer group with an
   * offset for it has committed past. A partition nobody has consumed keeps
   * everything; a group that appears later starts at the oldest record kept.
   */
  async function deleteConsumedSegments(pl: PartitionLog): Promise<void> {
    const id = `${pl.topic}/${pl.partition}`;
    const committed = readdirSync(groupsDir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => readOffsets(decodeURIComponent(f.slice(0, -'.json'.length)))[id])
      .filter((v): v is number => typeof v === 'number');
    // a consumer running here that has not committed on this partition yet still needs all of it
    for (const sub of subscribers.values()) if (sub.topics.includes(pl.topic) && sub.offsets[id] === undefined) committed.push(0);
    if (committed.length === 0) return;
    const deleted = await pl.deleteBefore(Math.min(...committed));
    if (deleted > 0) log.info({ topic: pl.topic, partition: pl.partition, segments: deleted }, 'deleted consumed segments of the embedded log');
  }

  function consumer(group: string): BusConsumer {
    if (activeGroups.has(group)) throw new Error(`embedded bus: consumer group ${group} already has a consumer in this process`);
    activeGroups.add(group);
    const offsets = readOffsets(group);
    const offsetsPath = join(groupsDir, `${encodeURIComponent(group)}.json`);
    let running = false;
    let paused = false;
    let resumeWaiters: (() => void)[] = [];
    let loops: Promise<void>[] = [];
    let subscribed: Topic[] = [];

    const commit = (t: string, p: number, next: number) => {
      offsets[`${t}/${p}`] = next;
      writeFileAtomic(offsetsPath, JSON.stringify(offsets));
    };

    async function loop(pl: PartitionLog, eachBatch: RunOptions['eachBatch']): Promise<void> {
      const id = `${pl.topic}/${pl.partition}`;
      let next = offsets[id] ?? 0;
      let backoff = firstBackoff;
      const commits = new PartitionCommits({ topic: pl.topic, partition: pl.partition }, log);
      const committed = async (end: number) => {
        commit(pl.topic, pl.partition, end);
        const deletable = pl.oldestDeletableEnd;
        if (deletable !== null && end >= deletable)
          await deleteConsumedSegments(pl).catch((e: unknown) =>
            log.warn({ err: e, topic: pl.topic, partition: pl.partition }, 'could not delete consumed segments'),
          );
      };
      while (running) {
        if (paused) {
          await new Promise<void>((r) => resumeWaiters.push(r));
          continue;
        }
        await pl.waitBeyond(next);
        if (!running) break;
        const messages = await pl.read(next, maxBatch);
        if (messages.length === 0) continue;
        try {
          const inHand = await eachBatch({ topic: pl.topic, partition: pl.partition, messages }, { heartbeat: async () => {}, isRunning: () => running });
          // (the batch may start past `next`: records before it were deleted or lost to a cut tail)
          const end = Number(messages[messages.length - 1]!.offset) + 1;
          next = end;
          backoff = firstBackoff;
          const done = commits.add(inHand?.written ?? Promise.resolve(), () => committed(end));
          // a batch handed back done is committed before the next one is read, as it always was
          if (!inHand) await done;
        } catch (e) {
          if (!running) break;
          log.warn(
            { err: e, topic: pl.topic, partition: pl.partition, offset: next, retryInMs: backoff },
            'eachBatch failed; the batch will be delivered again',
          );
          await sleep(backoff);
          backoff = Math.min(backoff * 2, maxBackoff);
        }
      }
      await commits.settled();
    }

    const c: BusConsumer = {
      async run(opts) {
        if (running) throw new Error('consumer is already running');
        running = true;
        subscribers.set(group, { topics: opts.topics, offsets });
        subscribed = await Promise.all(opts.topics.map((t) => topic(t)));
        loops = subscribed.flatMap((t) => t.partitions.map((pl) => loop(pl, opts.eachBatch)));
      },
      pause() {
        paused = true;
      },
      resume() {
        paused = false;
        const ws = resumeWaiters;
        resumeWaiters = [];
        for (const w of ws) w();
      },
      async lag(): Promise<PartitionLag[]> {
        return subscribed.flatMap((t) =>
          t.partitions.map((pl) => ({ topic: t.name, partition: pl.partition, lag: Math.max(0, pl.endOffset - (offsets[`${t.name}/${pl.partition}`] ?? 0)) })),
        );
      },
      async stop() {
        if (!activeGroups.has(group)) return;
        running = false;
        for (const t of subscribed) for (const pl of t.partitions) pl.wakeAll();
        c.resume();
        await Promise.all(loops);
        subscribers.delete(group);
        activeGroups.delete(group);
        consumers.delete(c);
      },
    };
    consumers.add(c);
    return c;
  }

  return {
    kind: 'embedded',

    async producer(): Promise<BusProducer> {
      return {
        async send(name: string, messages: OutgoingMessage[]) {
          if (closed) throw new Error('embedded bus is closed');
          if (messages.length === 0) return;
          const t = await topic(name);
          const byPartition = new Map<number, Buffer[]>();
          for (const m of messages) {
            const p = t.partitionFor(m.key);
            let list = byPartition.get(p);
            if (!list) byPartition.set(p, (list = []));
            list.push(encode(m));
          }
          await Promise.all([...byPartition].map(([p, recs]) => t.partitions[p]!.append(recs)));
        },
        async close() {},
      };
    },

    async consumer(groupId: string) {
      return consumer(groupId);
    },

    async ensureTopics(list) {
      for (const t of list) await topic(t.name, t.partitions);
    },

    async close() {
      if (closed) return;
      closed = true;
      for (const c of [...consumers]) await c.stop();
      for (const t of topics.values()) for (const pl of (await t).partitions) await pl.close();
      topics.clear();
      rmSync(lockFile, { force: true });
    },
  };
}
