/**
 * Identifier generators shaped like Telegram's: opaque base64url file ids with a
 * kind prefix, short file_unique_ids, numeric-string callback query ids.
 * A counter keeps them unique and cheap at bench rates; a random tail keeps them opaque.
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

/** A stable chat_instance per chat, as Telegram sends in CallbackQuery. */
export function chatInstanceOf(chatId: number): string {
  return String(BigInt.asIntN(64, BigInt(chatId) * 2654435761n + 9_007_199_254_740_881n));
}
