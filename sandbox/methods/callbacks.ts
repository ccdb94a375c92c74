/** answerCallbackQuery: the answer (toast or alert) is recorded on the pressed message for the control API. */
import { badRequest, TelegramErrors } from '../errors.js';
import { CALLBACK_ANSWER_WINDOW_MS } from '../world.js';
import type { MethodTable } from './context.js';

export const callbackMethods: MethodTable = {
  answerCallbackQuery({ world, params: p }) {
    const id = p.str('callback_query_id');
    const cb = id ? world.callbacks.get(id) : undefined;
    if (!cb || cb.answered || world.clock() - cb.pressedAt > CALLBACK_ANSWER_WINDOW_MS) throw TelegramErrors.queryTooOld();
    const text = p.str('text');
    if (text !== undefined && text.length > 200) throw badRequest('MESSAGE_TOO_LONG');
    cb.answered = true;
    const url = p.str('url');
    world.recordCallbackAnswer(cb, {
      callback_query_id: cb.id,
      ...(text ? { text } : {}),
      show_alert: p.bool('show_alert'),
      ...(url ? { url } : {}),
      date: world.unixNow(),
    });
    return true;
  },
};
