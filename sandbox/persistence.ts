/**
 * The sandbox's memory across restarts. Telegram never reuses a message id in
 * a chat, a topic id or an update id, and a desk relies on that: it
 * de-duplicates relayed messages by source message id and keeps each
 * customer's topic id. A sandbox that started from nothing on every restart
 * would make a returning customer's first messages look relayed already and
 * every stored topic id point at nothing (or at someone else's topic).
 *
 * So, given a data directory, the world is kept in `<dir>/sandbox/state.json`:
 * loaded at start; saved while it changes (at most once per `saveDelayMs`,
 * written to a temporary file that is then renamed over the old one, so a
 * crash leaves the previous state whole) and on close. Kept: chats with
 * their messages, topics, members, pins and reply keyboards; users; pending
 * updates, allowed_updates and the next update id; every id counter; unexpired
 * callback queries; the bot's commands. Not kept: faults, stats, flood
 * buckets, the clock offset and the webhook (a bot sets its webhook when it
 * starts; its secret stays out of the file).
 *
 * Bounded for long demos: each chat keeps its last `messagesPerChat` messages
 * and all chats together `messagesTotal`, the groups first, then the private
 * chats most recently written in; a chat past the budget keeps its counters,
 * topics and members, so ids still continue.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from '../core/log.js';
import { idCounters, restoreIdCounters, type IdCounters } from './ids.js';
import type { ChatState, MemberRecord, StoredMessage, Topic, TgUser } from './state.js';
import type { SavedUpdates } from './updates.js';
import { CALLBACK_ANSWER_WINDOW_MS, type PendingCallback, type World } from './world.js';

export interface PersistLimits {
  /** Messages kept per chat (the latest). */
  messagesPerChat: number;
  /** Messages kept over all chats. */
  messagesTotal: number;
  /** Unconfirmed updates kept (the latest). */
  pendingUpdates: number;
}

export const DEFAULT_PERSIST_LIMITS: PersistLimits = { messagesPerChat: 500, messagesTotal: 10_000, pendingUpdates: 10_000 };

/** How long changes gather before they are written (at most one write per this many ms while the world changes). */
export const DEFAULT_SAVE_DELAY_MS = 2000;

const FORMAT = 1;

type ChatRest = Omit<ChatState, 'messages' | 'topics' | 'threadMessages' | 'members'>;

/** A chat in the file: its Maps as arrays; threadMessages is rebuilt from the messages. */
interface SavedChat extends ChatRest {
  messages: StoredMessage[];
  topics: Topic[];
  members: MemberRecord[];
}

export interface SavedWorld {
  format: typeof FORMAT;
  savedAt: string;
  updates: SavedUpdates;
  ids: IdCounters;
  /** Users without a private chat (agents); a customer's user lives in their chat. */
  users: TgUser[];
  chats: SavedChat[];
  callbacks: PendingCallback[];
  commands: Record<string, unknown[]>;
  /** Absent in worlds saved before menu buttons were recorded. */
  menuButtons?: World['menuButtons'];
}

/** The world as saved, within `limits`. */
export function saveWorld(world: World, limits: PersistLimits = DEFAULT_PERSIST_LIMITS): SavedWorld {
  const kept = keptMessages(world, limits);
  const chats: SavedChat[] = [];
  const inChats = new Set<number>();
  for (const chat of world.chats.values()) {
    const { messages: _m, topics, threadMessages: _t, members, ...rest } = chat;
    const messages = kept.get(chat.id) ?? [];
    const ids = new Set(messages.map((s) => s.message.message_id));
    chats.push({ ...rest, pinned: chat.pinned.filter((id) => ids.has(id)), messages, topics: [...topics.values()], members: [...members.values()] });
    if (chat.user && world.users.get(chat.id) === chat.user) inChats.add(chat.id);
  }
  const horizon = world.clock() - CALLBACK_ANSWER_WINDOW_MS;
  return {
    format: FORMAT,
    savedAt: new Date().toISOString(),
    updates: world.updates.saved(limits.pendingUpdates),
    ids: idCounters(),
    users: [...world.users.values()].filter((u) => !inChats.has(u.id)),
    chats,
    callbacks: [...world.callbacks.values()].filter((c) => !c.answered && c.pressedAt >= horizon),
    commands: world.commands,
    menuButtons: world.menuButtons,
  };
}

/**
 * Which messages each chat keeps: groups first, then private chats by their
 * latest message (the later created first within a second); within a chat the latest.
 */
function keptMessages(world: World, limits: PersistLimits): Map<number, StoredMessage[]> {
  const latest = (c: ChatState) => {
    let date = 0;
    for (const s of c.messages.values()) date = s.message.date; // insertion order: the last one is the latest
    return date;
  };
  const order = [...world.chats.values()]
    .map((c, created) => ({ c, created, group: c.type === 'supergroup', date: latest(c) }))
    .sort((a, b) => Number(b.group) - Number(a.group) || b.date - a.date || b.created - a.created);
  const out = new Map<number, StoredMessage[]>();
  let budget = limits.messagesTotal;
  for (const { c } of order) {
    const n = Math.min(c.messages.size, limits.messagesPerChat, budget);
    if (n <= 0) continue;
    out.set(c.id, [...c.messages.values()].slice(c.messages.size - n));
    budget -= n;
  }
  return out;
}

/** Puts a saved world into a fresh one (as `new World()` seeded it): saved chats replace the seeded ones. */
export function restoreWorld(world: World, saved: SavedWorld): void {
  if (saved.format !== FORMAT) throw new Error(`unknown sandbox state format ${String(saved.format)}`);
  world.updates.restore(saved.updates);
  restoreIdCounters(saved.ids);
  for (const s of saved.chats) {
    const { messages, topics, members, ...rest } = s;
    const chat: ChatState = {
      ...rest,
      messages: new Map(),
      topics: new Map(topics.map((t) => [t.message_thread_id, t])),
      threadMessages: new Map(),
      members: new Map(members.map((m) => [m.user.id, m])),
    };
    for (const stored of messages) {
      const m = stored.message;
      chat.messages.set(m.message_id, stored);
      if (m.message_thread_id !== undefined) {
        let ids = chat.threadMessages.get(m.message_thread_id);
        if (!ids) chat.threadMessages.set(m.message_thread_id, (ids = []));
        ids.push(m.message_id);
      }
      // Files of kept messages can be sent again by file_id.
      world.files.remember(m);
    }
    if (chat.user) world.users.set(chat.id, chat.user);
    world.chats.set(chat.id, chat);
  }
  // Saved separately only when newer than the chat's copy (a profile change seen in a group).
  for (const u of saved.users) world.users.set(u.id, u);
  for (const c of saved.callbacks) world.callbacks.set(c.id, c);
  world.commands = saved.commands;
  world.menuButtons = saved.menuButtons ?? {};
}

export interface WorldStoreOptions {
  limits?: Partial<PersistLimits>;
  saveDelayMs?: number;
  log?: Logger;
}

/** Keeps one world in `<dataDir>/sandbox/state.json`. */
export class WorldStore {
  readonly path: string;
  private readonly limits: PersistLimits;
  private readonly delayMs: number;
  private dirty = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  /** The update queue as last written (getUpdates changes it by confirming). */
  private writtenQueue = '';

  /** Opens the store and loads what it holds into `world` (a fresh world). A state that cannot be read stops the start. */
  constructor(
    private readonly world: World,
    dataDir: string,
    private readonly o: WorldStoreOptions = {},
  ) {
    const dir = join(dataDir, 'sandbox');
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, 'state.json');
    this.limits = { ...DEFAULT_PERSIST_LIMITS, ...o.limits };
    this.delayMs = o.saveDelayMs ?? DEFAULT_SAVE_DELAY_MS;
    let text: string | undefined;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (text === undefined) return;
    try {
      restoreWorld(world, JSON.parse(text) as SavedWorld);
    } catch (e) {
      // Starting empty would reuse ids the desk already knows; better to stop and say so.
      throw new Error(`the sandbox state in ${this.path} cannot be loaded (${(e as Error).message}); move the file away to start with an empty sandbox`);
    }
    o.log?.info({ path: this.path, chats: world.chats.size }, 'sandbox state loaded');
  }

  /** The world changed: it is written within the save delay. */
  changed(): void {
    if (this.closed) return;
    this.dirty = true;
    if (this.timer || this.writing) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.delayMs);
    this.timer.unref();
  }

  /** Writes now if anything changed since the last write (waits for a write in progress first). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.writing) await this.writing;
    if (!this.dirty) return;
    this.dirty = false;
    this.writtenQueue = queueMark(this.world);
    this.writing = writeAtomically(this.path, JSON.stringify(saveWorld(this.world, this.limits)))
      .catch((err: unknown) => {
        // Try again with the next change (or on close).
        this.dirty = true;
        this.o.log?.error({ err, path: this.path }, 'could not save the sandbox state');
      })
      .finally(() => {
        this.writing = undefined;
        if (this.dirty && !this.closed) this.changed();
      });
    await this.writing;
  }

  /** The last write (whatever changed, also behind the requests' back); later changes are not saved. */
  async close(): Promise<void> {
    this.closed = true;
    this.dirty = true;
    await this.flush();
  }

  /**
   * Marks the world changed after every request that may have changed it: any
   * Bot API method but the read-only get* ones (getUpdates when it confirmed
   * updates), and any control call but a GET.
   */
  watch(app: FastifyInstance): void {
    app.addHook('onResponse', (req, _reply, done) => {
      const method = botMethod(req);
      if (method === undefined ? req.method !== 'GET' && req.method !== 'HEAD' : !method.startsWith('get')) this.changed();
      else if (method === 'getupdates' && queueMark(this.world) !== this.writtenQueue) this.changed();
      done();
    });
  }
}

/** Changes when updates are queued or confirmed. */
const queueMark = (world: World) => `${world.updates.first()?.update_id ?? ''}:${world.updates.pendingCount}`;

/** The Bot API method a request calls (lower case), or undefined for other routes. */
function botMethod(req: FastifyRequest): string | undefined {
  const m = /^\/bot[^/]+\/(?:test\/)?([A-Za-z]+)(?:\?|$)/.exec(req.url);
  return m?.[1]?.toLowerCase();
}

/** A complete file or the previous one, never half of one: write a temporary file, sync it, rename it over. */
async function writeAtomically(path: string, data: string): Promise<void> {
  const tmp = `${path}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}
