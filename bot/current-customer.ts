/**
 * The customer behind a private-chat update, read (and their profile
 * refreshed) once per update, in one round trip with their open ticket and —
 * for a message — whether it was relayed already. The locale negotiator and
 * the handlers share it.
 */
import type { Context } from 'grammy';
import type { Desk } from './context.js';
import type { CustomerContext } from './store/customers.js';
import type { Customer } from './store/types.js';

const perUpdate = new WeakMap<object, Promise<CustomerContext>>();

export function customerContext(ctx: Context & { desk: Desk }): Promise<CustomerContext> {
  const from = ctx.from;
  if (!from || ctx.chat?.type !== 'private') return Promise.reject(new Error('customerContext is for private-chat updates'));
  let p = perUpdate.get(ctx.update);
  if (!p) {
    const m = ctx.message;
    p = ctx.desk.customers.touch(from, ctx.desk.config.vipUserIds.has(from.id), m ? { chatId: m.chat.id, messageId: m.message_id } : undefined);
    perUpdate.set(ctx.update, p);
  }
  return p;
}

export async function currentCustomer(ctx: Context & { desk: Desk }): Promise<Customer> {
  return (await customerContext(ctx)).customer;
}
