/** Every Bot API method the sandbox implements, by name. Anything else answers 404 Not Found, as Telegram does. */
import { callbackMethods } from './callbacks.js';
import { chatMethods } from './chats.js';
import type { MethodTable } from './context.js';
import { copyMethods } from './copy.js';
import { groupMethods } from '../groups.js';
import { editMethods } from './edit.js';
import { metaMethods } from './meta.js';
import { sendMethods } from './send.js';
import { topicMethods } from './topics.js';
import { updateMethods } from './updates.js';

export const METHODS: MethodTable = {
  ...metaMethods,
  ...updateMethods,
  ...sendMethods,
  ...copyMethods,
  ...editMethods,
  ...topicMethods,
  ...chatMethods,
  ...groupMethods,
  ...callbackMethods,
};

/** Telegram method names are case-insensitive. */
const BY_LOWER = new Map(Object.entries(METHODS).map(([name, fn]) => [name.toLowerCase(), { name, fn }]));

export function findMethod(name: string) {
  return BY_LOWER.get(name.toLowerCase());
}

export type { MethodContext, MethodHandler } from './context.js';
