/**
 * The customer behind a private-chat update, loaded (and their profile
 * refreshed) once per update: the locale negotiator and the handlers share it.
 */
import type { Context } from 'grammy';
import type { Desk } from '../context.js';
import type { Customer } from '../store/types.js';

const perUpdate = new WeakMap<object, Promise<Customer>>();

export function currentCustomer(ctx: Context & { desk: Desk }): Promise<Customer> {
  const from = ctx.from;
  if (!from || ctx.chat?.type !== 'private') return Promise.reject(new Error('currentCustomer is for private-chat updates'));
  let p = perUpdate.get(ctx.update);
  if (!p) {
    p = ctx.desk.customers.upsert(from, ctx.desk.config.vipUserIds.has(from.id));
    perUpdate.set(ctx.update, p);
  }
  return p;
}
