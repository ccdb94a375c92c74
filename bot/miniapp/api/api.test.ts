/**
 * The Mini App API end to end: the real sandbox (launch data signed as Telegram's client would, the topic
 * and the customer's chat), the real desk and features on PGlite, the plugin on a fastify server.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signFields, signInitData } from '../../../core/telegram-webapp.js';
import { AGENT, startFeatureHarness, SUPPORT, type FeatureHarness } from '../../../test/bot/feature-harness.js';
import { SANDBOX_TOKEN } from '../../../sandbox/identities.js';
import { miniAppPlugin } from '../plugin.js';

let h: FeatureHarness;
let app: FastifyInstance;
const APP_URL = 'http://127.0.0.1:9/app/';

beforeAll(async () => {
  h = await startFeatureHarness({
    botEnv: { WEBAPP_URL: APP_URL },
    env: { KB_AUTO_ANSWER: '0', SPAM_NEWCOMER_MESSAGES: '0', SPAM_NEWCOMER_AGE: '0', SPAM_DUPLICATE_WINDOW: '0', CSAT_ENABLED: '1', NPS_ENABLED: '0' },
  });
  app = Fastify();
  await app.register(miniAppPlugin, { desk: h.desk.services, runtime: h.features.runtime, maxAgeSeconds: 86_400, ratePerMinute: 1000, webRoot: false });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

/** The customer's launch data, as the sandbox signs it when they open the app. */
const tma = async (userId: number, start_param?: string) => `tma ${(await h.client.openWebApp(userId, start_param ? { start_param } : {})).init_data}`;
const call = async (userId: number, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: Record<string, unknown>) => {
  const res = await app.inject({ method, url: `/app/api${url}`, headers: { authorization: await tma(userId) }, ...(payload !== undefined ? { payload } : {}) });
  // biome-ignore lint/suspicious/noExplicitAny: the answers' JSON, read field by field by the assertions
  return { status: res.statusCode, body: res.body ? (JSON.parse(res.body) as Record<string, any>) : {} };
};
const withAuth = async (authorization: string | undefined) =>
  app.inject({ method: 'GET', url: '/app/api/tickets', headers: authorization === undefined ? {} : { authorization } });

describe('sign-in (Authorization: tma <initData>)', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const user = { id: 8101, first_name: 'Ana', language_code: 'en' };

  it('valid launch data → 200; the customer is created from the signed user', async () => {
    const res = await withAuth(await tma(8101));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ tickets: [] });
    expect((await h.db.query('SELECT id FROM customers WHERE id = 8101')).rows).toHaveLength(1);
  });

  it.each([
    ['missing header', async () => undefined, /missing Authorization/],
    ['another scheme', async () => `Bearer ${signInitData(SANDBOX_TOKEN, { user })}`, /wrong authorization scheme/],
    ['missing hash', async () => `tma ${new URLSearchParams({ user: JSON.stringify(user), auth_date: String(now()) })}`, /missing hash/],
    [
      'wrong hash',
      async () =>
        // The first hex digit of the hash flipped to another one (whatever it was).
        `tma ${signInitData(SANDBOX_TOKEN, { user }).replace(/hash=(.)/, (_m, c: string) => `hash=${c === '0' ? '1' : '0'}`)}`,
      /wrong hash/,
    ],
    ["another bot's token", async () => `tma ${signInitData('123:other', { user })}`, /wrong hash/],
    [
      'altered user (another id)',
      async () => `tma ${signInitData(SANDBOX_TOKEN, { user }).replace(encodeURIComponent('"id":8101'), encodeURIComponent('"id":8102'))}`,
      /wrong hash/,
    ],
    ['expired', async () => `tma ${signInitData(SANDBOX_TOKEN, { user, auth_date: now() - 86_400 - 60 })}`, /expired/],
    ['in the future', async () => `tma ${signInitData(SANDBOX_TOKEN, { user, auth_date: now() + 3600 })}`, /in the future/],
    [
      'duplicate key',
      async () =>
        `tma ${signFields(SANDBOX_TOKEN, [
          ['user', JSON.stringify(user)],
          ['auth_date', String(now())],
          ['user', JSON.stringify({ ...user, id: 8102 })],
        ])}`,
      /duplicate key/,
    ],
    [
      'malformed user',
      async () =>
        `tma ${signFields(SANDBOX_TOKEN, [
          ['user', '{"id":"8101"}'],
          ['auth_date', String(now())],
        ])}`,
      /malformed user/,
    ],
  ])('%s → 401 with the reason', async (_name, header, reason) => {
    const res = await withAuth(await header());
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toMatch(reason);
  });

  it('a banned customer → 403', async () => {
    await h.client.openWebApp(8199);
    const auth = await tma(8199);
    await h.desk.services.customers.upsert({ id: 8199, first_name: 'Spam' }, false);
    await h.desk.services.customers.setBanned(8199, true);
    const res = await withAuth(auth);
    expect(res.statusCode).toBe(403);
  });
});

describe('my requests', () => {
  const C = 8201;
  const OTHER = 8202;
  let number = 0;

  it('a new request takes the chat path: topic, card, the text in the topic, the receipt with Track status, events with channel app', async () => {
    await h.client.sendCustomerMessage(C, { text: '/start', first_name: 'Mina', language_code: 'en' }); // the chat exists (menu button, receipt)
    const created = await call(C, 'POST', '/tickets', { category: 'payment', text: 'My card payment failed twice' });
    expect(created.status).toBe(201);
    number = created.body.number;
    expect(created.body.created).toBe(true);
    const thread = await h.thread(C);
    await h.client.waitForChatMessage(SUPPORT, `📱 My card payment failed twice`, { threadId: thread });
    const receipt = await h.client.waitForCustomerMessage(C, new RegExp(`#${number}`));
    const rows = receipt.reply_markup?.inline_keyboard as Array<Array<Record<string, unknown>>> | undefined;
    const track = rows?.flat().find((b) => 'web_app' in b) as { web_app: { url: string } } | undefined;
    expect(track?.web_app.url).toBe(`${APP_URL}?startapp=ticket-${number}`);
    const t = (await h.db.query<{ category: string; queue: string; card_message_id: number | null }>('SELECT * FROM tickets WHERE id = $1', [number])).rows[0]!;
    expect(t).toMatchObject({ category: 'payment', queue: 'payments' });
    expect(t.card_message_id).not.toBeNull();
    const opened = (await h.eventsOf('ticket_opened')).find((e) => e.ticket_id === number)!;
    expect(opened.channel).toBe('app');
    expect((await h.eventsOf('message_in')).filter((e) => e.ticket_id === number)).toHaveLength(1);
    expect((await h.eventsOf('category_selected')).filter((e) => e.ticket_id === number)).toHaveLength(1);
  });

  it('lists only the caller’s tickets, with status, ETA while waiting and the last message', async () => {
    const list = await call(C, 'GET', '/tickets');
    expect(list.status).toBe(200);
    expect(list.body.tickets).toHaveLength(1);
    const t = list.body.tickets[0];
    expect(t).toMatchObject({ number, status: 'waiting_agent', status_emoji: '❗️', queue: 'payments', category: 'payment', survey_open: false });
    expect(Date.parse(t.eta)).toBeGreaterThan(Date.now() - 60_000);
    expect(t.last_message).toMatch(/#\d+|payment/);
    expect((await call(OTHER, 'GET', '/tickets')).body.tickets).toEqual([]);
    expect((await call(C, 'GET', '/tickets?status=closed')).body.tickets).toEqual([]);
  });

  it("another customer's ticket → 404; a bad number → 400", async () => {
    expect((await call(OTHER, 'GET', `/tickets/${number}`)).status).toBe(404);
    expect((await call(OTHER, 'POST', `/tickets/${number}/messages`, { text: 'hi' })).status).toBe(404);
    expect((await call(C, 'GET', '/tickets/abc')).status).toBe(400);
    expect((await call(C, 'POST', '/tickets', { category: 'nope', text: 'x' })).body.error).toMatch(/unknown category/);
    expect((await call(C, 'POST', '/tickets', { category: 'payment', text: '' })).status).toBe(400);
    expect((await call(C, 'POST', '/tickets', { category: 'payment', text: 'x'.repeat(4001) })).status).toBe(400);
  });

  it('the ticket page has the whole conversation: the app message, the receipt, the agent’s reply, a chat message, a masked secret', async () => {
    const thread = await h.thread(C);
    await h.client.sendSupportMessage({ from_id: AGENT, first_name: 'Maria', last_name: 'K', thread_id: thread, text: 'We are checking it' });
    await h.client.waitForCustomerMessage(C, 'We are checking it');
    await h.client.sendCustomerMessage(C, { text: 'Thanks, here is more from the chat' });
    await h.client.waitForChatMessage(SUPPORT, 'Thanks, here is more from the chat', { threadId: thread });
    const reply = await call(C, 'POST', `/tickets/${number}/messages`, { text: 'my password: hunter22 still fails' });
    expect(reply.status).toBe(201);
    const masked = await h.client.waitForChatMessage(SUPPORT, /📱/, { threadId: thread, after: 0, from: 'bot' });
    expect(masked.text).toBeDefined();
    await h.settle();
    const page = await call(C, 'GET', `/tickets/${number}`);
    expect(page.status).toBe(200);
    const msgs = page.body.messages as Array<{ from: string; text: string; channel: string; agent_first_name: string | null }>;
    expect(msgs.map((m) => m.from)).toEqual(['customer', 'bot', 'agent', 'customer', 'customer']);
    expect(msgs[0]).toMatchObject({ text: 'My card payment failed twice', channel: 'app' });
    expect(msgs[2]).toMatchObject({ text: 'We are checking it', agent_first_name: 'Maria' });
    expect(msgs[3]).toMatchObject({ text: 'Thanks, here is more from the chat', channel: 'chat' });
    expect(msgs[4]!.text).not.toContain('hunter22');
    const stored = await h.db.query<{ text: string }>('SELECT text FROM ticket_messages WHERE ticket_id = $1', [number]);
    expect(stored.rows.some((r) => r.text?.includes('hunter22'))).toBe(false);
    expect((await h.eventsOf('secret_masked')).some((e) => e.ticket_id === number)).toBe(true);
    expect(page.body.ticket.agent_first_name).toBe('Maria');
  });

  it('attachments: a photo and a document reach the topic with their caption and join the conversation; wrong type or size → 4xx', async () => {
    const form = (file: { name: string; type: string; data: Buffer }, fields: Record<string, string> = {}) => {
      const boundary = 'b0undary';
      const parts = [
        ...Object.entries(fields).map(([k, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
        `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${file.name}"\r\ncontent-type: ${file.type}\r\n\r\n`,
      ];
      return {
        payload: Buffer.concat([Buffer.from(parts.join('')), file.data, Buffer.from(`\r\n--${boundary}--\r\n`)]),
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      };
    };
    const upload = async (f: ReturnType<typeof form>) =>
      app.inject({ method: 'POST', url: `/app/api/tickets/${number}/attachments`, ...f, headers: { ...f.headers, authorization: await tma(C) } });
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    expect((await upload(form({ name: 'screen.png', type: 'image/png', data: png }, { caption: 'the error screen' }))).statusCode).toBe(201);
    expect((await upload(form({ name: 'invoice.pdf', type: 'application/pdf', data: Buffer.from('%PDF-1.4 test') }))).statusCode).toBe(201);
    const thread = await h.thread(C);
    const photo = await h.client.waitForChatMessage(SUPPORT, (m) => m.media === 'photo', { threadId: thread });
    expect(photo.caption).toBe('📱 the error screen');
    await h.client.waitForChatMessage(SUPPORT, (m) => m.media === 'document', { threadId: thread });
    const bad = await upload(form({ name: 'run.exe', type: 'application/x-msdownload', data: Buffer.from('MZ') }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatch(/cannot be sent/);
    expect((await upload(form({ name: 'big.png', type: 'image/png', data: Buffer.alloc(10 * 1024 * 1024 + 1, 1) }))).statusCode).toBe(413);
    expect((await call(OTHER, 'POST', `/tickets/${number}/attachments`, {})).status).toBe(404);
    const msgs = (await call(C, 'GET', `/tickets/${number}`)).body.messages as Array<{
      media: { kind: string; name: string | null } | null;
      text: string | null;
    }>;
    expect(msgs.slice(-2)).toEqual([
      expect.objectContaining({ media: { kind: 'photo', name: null }, text: 'the error screen' }),
      expect.objectContaining({ media: { kind: 'document', name: 'invoice.pdf' }, text: null }),
    ]);
  });

  it('resolve → closed; rating where the survey is open; reopen', async () => {
    const thread = await h.thread(C);
    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: '/resolve' });
    await h.client.waitForCustomerMessage(C, /1.*5|rate/i);
    expect((await call(C, 'POST', `/tickets/${number}/messages`, { text: 'more' })).status).toBe(409);
    const rated = await call(C, 'POST', `/tickets/${number}/rating`, { score: 5 });
    expect(rated.status).toBe(200);
    expect((await call(C, 'GET', `/tickets/${number}`)).body.ticket).toMatchObject({ status: 'resolved', survey_open: true, rating: 5 });
    expect((await h.eventsOf('csat_rated')).filter((e) => e.ticket_id === number).map((e) => e.score)).toEqual([5]);
    expect((await call(C, 'POST', `/tickets/${number}/rating`, { score: 9 })).status).toBe(400);
    const reopened = await call(C, 'POST', `/tickets/${number}/reopen`);
    expect(reopened.status).toBe(200);
    expect((await h.eventsOf('ticket_reopened')).filter((e) => e.ticket_id === number).map((e) => e.reason)).toEqual(['customer']);
    expect((await call(C, 'POST', `/tickets/${number}/reopen`)).status).toBe(409);
  });
});

describe('help centre', () => {
  const C = 8301;

  it('searches with the bot’s ranking, shows an article, records helpful and a self-service resolution (events through the outbox)', async () => {
    const found = await call(C, 'GET', `/kb/search?q=${encodeURIComponent('I forgot my password')}`);
    expect(found.status).toBe(200);
    const top = found.body.articles[0];
    const { kb } = await h.features.runtime.files();
    expect(top.id).toBe(kb.search('I forgot my password', { language: 'en', limit: 1 })[0]!.article.id);
    expect(top.snippet.length).toBeGreaterThan(10);
    const article = await call(C, 'GET', `/kb/articles/${top.id}`);
    expect(article.body.article).toMatchObject({ id: top.id, lang: 'en' });
    expect((await call(C, 'POST', `/kb/articles/${top.id}/helpful`, { helpful: true })).status).toBe(200);
    expect((await call(C, 'POST', `/kb/articles/${top.id}/solved`, {})).status).toBe(200);
    expect((await call(C, 'GET', '/kb/articles/no-such-article')).status).toBe(404);
    expect((await call(C, 'GET', `/kb/search?q=${'a'.repeat(501)}`)).status).toBe(400);
    expect((await call(C, 'POST', `/kb/articles/${top.id}/helpful`, { helpful: 'yes' })).status).toBe(400);
    const popular = await call(C, 'GET', '/kb/popular');
    expect(popular.body.articles[0].id).toBe(top.id);
    expect((await h.eventsOf('kb_article_viewed')).map((e) => e.kb_article_id)).toContain(top.id);
    expect((await h.eventsOf('kb_article_helpful')).find((e) => e.kb_article_id === top.id)).toMatchObject({ helpful: true, channel: 'app', ticket_id: null });
    expect((await h.eventsOf('kb_outcome')).find((e) => e.channel === 'app')).toMatchObject({ kb_article_id: top.id, outcome: 'solved', ticket_id: null });
  });
});

describe('settings and meta', () => {
  const C = 8401;

  it('reads and changes language, time zone, quiet hours and notifications; refuses what it does not know', async () => {
    const before = await call(C, 'GET', '/settings');
    expect(before.body).toEqual({ language: 'en', time_zone: null, quiet_hours: null, notifications: { status_updates: 'each', announcements: true } });
    const wanted = {
      language: 'ru',
      time_zone: 'Asia/Tehran',
      quiet_hours: { start: '22:00', end: '08:00' },
      notifications: { status_updates: 'summary', announcements: false },
    };
    const put = await call(C, 'PUT', '/settings', wanted);
    expect(put.status).toBe(200);
    expect(put.body).toEqual(wanted);
    expect((await call(C, 'GET', '/settings')).body).toEqual(wanted);
    const row = (await h.db.query<{ broadcast_opt_out: boolean }>('SELECT broadcast_opt_out FROM customer_settings WHERE customer_id = $1', [C])).rows[0]!;
    expect(row.broadcast_opt_out).toBe(true);
    const badZone = await call(C, 'PUT', '/settings', { ...wanted, time_zone: 'Mars/Olympus' });
    expect(badZone).toMatchObject({ status: 400, body: { error: expect.stringMatching(/unknown time zone/) } });
    const badLang = await call(C, 'PUT', '/settings', { ...wanted, language: 'xx' });
    expect(badLang).toMatchObject({ status: 400, body: { error: expect.stringMatching(/unknown language "xx"/) } });
    expect((await call(C, 'PUT', '/settings', { ...wanted, quiet_hours: { start: '25:00', end: '08:00' } })).status).toBe(400);
  });

  it('meta lists the categories of the routing configuration the bot uses, in the caller’s language', async () => {
    const meta = await call(C, 'GET', '/meta');
    expect(meta.body.categories.map((c: { key: string }) => c.key)).toEqual(h.config.categories.map((c) => c.key));
    expect(meta.body.languages.map((l: { code: string }) => l.code)).toEqual(expect.arrayContaining(['en', 'ru']));
  });

  it('app_opened says what opened the app, never the raw parameter', async () => {
    expect((await call(C, 'POST', '/opened', { start_param: 'ticket-12' })).status).toBe(200);
    expect((await call(C, 'POST', '/opened', { start_param: '<script>' })).status).toBe(200);
    expect((await call(C, 'POST', '/opened', {})).status).toBe(200);
    expect((await h.eventsOf('app_opened')).map((e) => e.entry)).toEqual(['ticket', 'other', 'menu']);
  });

  it('limits each customer’s requests per minute (429 with Retry-After)', async () => {
    const limited = Fastify();
    await limited.register(miniAppPlugin, { desk: h.desk.services, runtime: h.features.runtime, maxAgeSeconds: 86_400, ratePerMinute: 2, webRoot: false });
    const auth = await tma(C);
    const codes: number[] = [];
    for (let i = 0; i < 3; i++) codes.push((await limited.inject({ method: 'GET', url: '/app/api/settings', headers: { authorization: auth } })).statusCode);
    expect(codes).toEqual([200, 200, 429]);
    await limited.close();
  });
});

describe('privacy', () => {
  it('exports the caller’s data as JSON and deletes it (the conversation goes with it)', async () => {
    const C = 8501;
    await h.client.sendCustomerMessage(C, { text: 'hello, a question about my invoice', first_name: 'Del' });
    await h.client.waitForCustomerMessage(C, /#\d+/);
    await h.settle();
    const exported = await app.inject({ method: 'GET', url: '/app/api/me/export', headers: { authorization: await tma(C) } });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-disposition']).toMatch(/attachment/);
    expect(JSON.stringify(exported.json())).toContain('hello, a question about my invoice');
    const auth = await tma(C);
    expect((await app.inject({ method: 'DELETE', url: '/app/api/me', headers: { authorization: auth } })).statusCode).toBe(200);
    expect((await h.db.query('SELECT 1 FROM ticket_messages WHERE customer_id = $1', [C])).rows).toEqual([]);
  });
});
