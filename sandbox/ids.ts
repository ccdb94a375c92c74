/**
 * Identifier generators shaped like Telegram's: opaque base64url file ids with a
 * kind prefix, short file_unique_ids, numeric-string callback query, poll and
 * media group ids. Counters keep them unique and cheap at bench rates; a random
 * tail keeps file ids opaque. The counters are saved with the world
 * (persistence.ts), so ids never repeat across restarts, as Telegram's do not.
 */
import { randomBytes } from 'node:crypto';

let counter = 0;
let pool = randomBytes(4096);
let poolPos = 0;

function randomTail(bytes: number): string {
  if (poolPos + bytes > pool.length) {
    pool = randomBytes(4096);
    poolPos = 0;
  }
  const s = pool.subarray(poolPos, poolPos + bytes).toString('base64url');
  poolPos += bytes;
  return s;
}

const FILE_PREFIX: Record<string, string> = {
  photo: 'AgACAgIAAxkBAA',
  document: 'BQACAgIAAxkBAA',
  video: 'BAACAgIAAxkBAA',
  audio: 'CQACAgIAAxkBAA',
  voice: 'AwACAgIAAxkBAA',
  video_note: 'DQACAgIAAxkBAA',
  animation: 'CgACAgIAAxkBAA',
  sticker: 'CAACAgIAAxkBAA',
};

export function newFileIds(kind: string): { file_id: string; file_unique_id: string } {
  const n = (++counter).toString(36);
  return {
    file_id: `${FILE_PREFIX[kind] ?? 'BQACAgIAAxkBAA'}${n}_${randomTail(24)}`,
    file_unique_id: `AQAD${n}${randomTail(6)}`,
  };
}

let callbackCounter = 0;
/** Telegram's callback query ids are decimal strings of ~19 digits. */
export function newCallbackQueryId(botId: number): string {
  return `${BigInt(botId) * 1_000_000_000n + BigInt(++callbackCounter)}`;
}

let pollCounter = 0;
/** A new poll's serial number (its id and its options' persistent ids derive from it). */
export function newPollSerial(): number {
  return ++pollCounter;
}

// A BigInt: ids of this size are past 2^53, where a Number's ++ no longer changes it.
let mediaGroupCounter = 13_000_000_000_000_000n;
/** Telegram's media_group_ids are decimal strings of ~17 digits. */
export function newMediaGroupId(): string {
  return String(++mediaGroupCounter);
}

/** Where every id counter stands, to be saved with the world. */
export interface IdCounters {
  file: number;
  callbackQuery: number;
  poll: number;
  /** A decimal string: the counter is a BigInt. */
  mediaGroup: string;
}

export function idCounters(): IdCounters {
  return { file: counter, callbackQuery: callbackCounter, poll: pollCounter, mediaGroup: String(mediaGroupCounter) };
}

/** Continues from saved counters; never goes back (several worlds may share this process). */
export function restoreIdCounters(saved: Partial<IdCounters>): void {
  counter = Math.max(counter, saved.file ?? 0);
  callbackCounter = Math.max(callbackCounter, saved.callbackQuery ?? 0);
  pollCounter = Math.max(pollCounter, saved.poll ?? 0);
  if (saved.mediaGroup !== undefined && /^\d+$/.test(saved.mediaGroup) && BigInt(saved.mediaGroup) > mediaGroupCounter)
    mediaGroupCounter = BigInt(saved.mediaGroup);
}

/** A stable chat_instance per chat, as Telegram sends in CallbackQuery. */
export function chatInstanceOf(chatId: number): string {
  return String(BigInt.asIntN(64, BigInt(chatId) * 2654435761n + 9_007_199_254_740_881n));
}
