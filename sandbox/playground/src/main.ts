/**
 * The sandbox playground: a customer's private chat with the bot on the left,
 * the agents' forum and the escalation chat on the right, all driven through
 * the sandbox's own control API (same origin) and refreshed by polling.
 */
import { SandboxClient, SandboxControlError, type MessageView, type TopicView } from '../../client.js';
import type { SandboxChatIds } from '../../identities.js';
import type { PlaygroundAgent, PlaygroundPeople } from '../people.js';
import { h, initials, keepScrolled, peerColor, syncList, type KeyedItem } from './dom.js';
import { messageItems, type InlineButton, type LogContext } from './messages.js';
import { prepareUpload, uploadBody, type PreparedUpload } from './upload.js';

const POLL_MS = 1000;
const POLL_HIDDEN_MS = 5000;
const POLL_OFFLINE_MS = 3000;
const PEOPLE_EVERY_MS = 5000;
/** The General topic of a forum (messages without a thread id). */
const GENERAL = 1;

const client = new SandboxClient(location.origin);
const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

interface Person {
  id: number;
  first_name: string;
  language_code?: string;
}

const stored = <T>(key: string): T | undefined => {
  try {
    const v = localStorage.getItem(`playground.${key}`);
    return v ? (JSON.parse(v) as T) : undefined;
  } catch {
    return undefined;
  }
};
const store = (key: string, v: unknown) => localStorage.setItem(`playground.${key}`, JSON.stringify(v));
const randomId = (from: number) => from + Math.floor(Math.random() * 900_000);

const state = {
  chatIds: undefined as SandboxChatIds | undefined,
  botName: 'the bot',
  customer: stored<Person>('customer') ?? { id: randomId(100_000), first_name: 'Anna', language_code: 'en' },
  agent: stored<Person>('agent') ?? { id: randomId(8_000_000), first_name: 'Max' },
  thread: stored<number>('thread') ?? undefined,
  tab: 'forum' as 'forum' | 'escalation',
  people: undefined as PlaygroundPeople | undefined,
  /** Whether the customer has a chat with the bot (undefined: not known yet; the people feed says). */
  customerExists: undefined as boolean | undefined,
  topics: [] as TopicView[],
  /** Agents this page made members of a group, per chat. */
  joined: new Set<string>(),
  /** Presses made here, whose answers (toasts/alerts) the page shows once. */
  pressed: new Set<string>(),
  answered: new Set<string>(),
  previews: new Map<string, string>(),
  attachment: undefined as PreparedUpload | undefined,
  escalationSeen: stored<number>('escalationSeen') ?? 0,
  escalationLatest: 0,
};

// ---- small UI services ----------------------------------------------------------

function toast(text: string, kind: 'info' | 'error' | 'alert' = 'info'): void {
  const el = h('div', { class: `toast ${kind}`, role: kind === 'info' ? 'status' : 'alert' }, text);
  if (kind === 'alert') {
    const ok = h('button', { type: 'button', class: 'primary' }, 'OK');
    ok.addEventListener('click', () => el.remove());
    el.append(ok);
  } else setTimeout(() => el.remove(), kind === 'error' ? 6000 : 3500);
  $('toasts').append(el);
}

const reason = (e: unknown) => (e instanceof SandboxControlError ? e.reason : e instanceof Error ? e.message : String(e));

/** Runs a user action, shows its failure as a toast, refreshes right after. */
async function act(what: string, run: () => Promise<unknown>): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (e) {
    toast(`${what}: ${reason(e)}`, 'error');
    return false;
  } finally {
    refreshSoon();
  }
}

function setLive(ok: boolean, why?: string): void {
  const live = $('live');
  live.dataset.state = ok ? 'live' : 'offline';
  live.textContent = ok ? 'live' : 'sandbox unreachable — retrying';
  live.title = why ?? '';
}

function dashboardLink(): void {
  const a = $<HTMLAnchorElement>('dashboard-link');
  const given = new URLSearchParams(location.search).get('dashboard');
  let href: string | undefined;
  try {
    const u = given ? new URL(given, location.href) : undefined;
    if (u && (u.protocol === 'http:' || u.protocol === 'https:')) href = u.href;
  } catch {
    /* not a URL: fall back to the default */
  }
  // The sandbox does not know where the dashboard runs; `npm start` serves it on PORT (3000) of the same host.
  a.href = href ?? `${location.protocol}//${location.hostname}:3000/`;
  a.title = href
    ? 'The analytics dashboard'
    : 'The dashboard of `npm start` (PORT, default 3000); open the playground with ?dashboard=<url> to point elsewhere';
}

// ---- customer ---------------------------------------------------------------------

function setCustomer(p: Person): void {
  state.customer = p;
  store('customer', p);
  state.customerExists = undefined;
  peopleAt = 0;
  $('customer-log').replaceChildren();
  customerLoaded = false;
  renderCustomerHead();
  renderCustomerPicker();
  refreshSoon();
}

function renderCustomerHead(typing = false): void {
  const c = state.customer;
  const avatar = $('customer-avatar');
  avatar.textContent = initials(c.first_name);
  avatar.style.background = peerColor(c.id);
  $('customer-name').textContent = c.first_name;
  $('customer-sub').textContent = typing
    ? `${state.botName} is typing…`
    : `id ${c.id}${c.language_code ? ` · ${c.language_code}` : ''} · private chat with ${state.botName}`;
}

function renderCustomerPicker(): void {
  const select = $<HTMLSelectElement>('customer-select');
  const listed = state.people?.customers ?? [];
  const options = listed.some((c) => c.id === state.customer.id)
    ? []
    : [h('option', { value: state.customer.id }, `${state.customer.first_name} · ${state.customer.id} (new)`)];
  for (const c of listed) options.push(h('option', { value: c.id }, `${c.name} · ${c.id}${c.blocked ? ' · blocked the bot' : ''}`));
  const more =
    state.people && state.people.customers_total > listed.length
      ? [h('option', { disabled: true, value: '' }, `… ${state.people.customers_total - listed.length} older customers (open by id with + New)`)]
      : [];
  select.replaceChildren(...options, ...more);
  select.value = String(state.customer.id);
}

let customerLoaded = false;
const customerCtx: LogContext = {
  isOwn: (m) => m.from === 'customer',
  showSender: false,
  previews: state.previews,
  onPress: (m, b) => void pressCustomer(m, b),
};

async function pressCustomer(_m: MessageView, b: InlineButton): Promise<void> {
  if (b.copy_text) {
    await navigator.clipboard?.writeText(b.copy_text.text).catch(() => undefined);
    toast('Copied');
    return;
  }
  // The control API presses the latest bot message with this label, as a customer taps the newest keyboard.
  await act(`Pressing "${b.text}"`, async () => state.pressed.add((await client.pressCustomerButton(state.customer.id, b.text)).callback_query_id));
}

async function refreshCustomer(): Promise<void> {
  const id = state.customer.id;
  let messages: MessageView[] = [];
  let info: Awaited<ReturnType<SandboxClient['getCustomer']>> | undefined;
  if (state.customerExists) {
    try {
      [messages, info] = await Promise.all([client.getCustomerMessages(id), client.getCustomer(id)]);
    } catch (e) {
      if (!(e instanceof SandboxControlError && e.status === 404)) throw e;
      if (id === state.customer.id) state.customerExists = false; // the sandbox was reset
    }
  }
  if (id !== state.customer.id) return;
  $('customer-empty').hidden = messages.length > 0;
  const scroller = $('customer-scroll');
  keepScrolled(scroller, () => syncList($('customer-log'), messageItems(messages, customerCtx, 'c')), !customerLoaded);
  customerLoaded = true;
  noticeAnswers(messages);
  const typing = info?.last_chat_action?.action === 'typing' && Date.now() / 1000 - info.last_chat_action.date < 5 && messages.at(-1)?.from !== 'bot';
  renderCustomerHead(typing);
  renderReplyKeyboard(info?.reply_keyboard);
}

function renderReplyKeyboard(markup: Record<string, unknown> | undefined): void {
  const box = $('reply-keyboard');
  const rows = Array.isArray(markup?.keyboard) ? (markup.keyboard as Array<Array<string | { text: string }>>) : [];
  const sig = JSON.stringify(rows);
  if (box.dataset.sig === sig) return;
  box.dataset.sig = sig;
  box.hidden = rows.length === 0;
  box.replaceChildren(
    ...rows.map((row) =>
      h(
        'div',
        { class: 'kb-row' },
        ...row.map((b) => {
          const text = typeof b === 'string' ? b : b.text;
          const button = h('button', { type: 'button', class: 'kb-button' }, text);
          button.addEventListener('click', () => void act(`Pressing "${text}"`, () => client.pressKeyboardButton(state.customer.id, text)));
          return button;
        }),
      ),
    ),
  );
}

/** Shows the bot's answer to a press made here (a toast, or an alert the reader must dismiss). */
function noticeAnswers(messages: readonly MessageView[]): void {
  for (const m of messages)
    for (const a of m.callback_answers) {
      if (!state.pressed.has(a.callback_query_id) || state.answered.has(a.callback_query_id)) continue;
      state.answered.add(a.callback_query_id);
      if (a.text) toast(a.text, a.show_alert ? 'alert' : 'info');
    }
}

async function sendAsCustomer(): Promise<void> {
  const input = $<HTMLInputElement>('customer-text');
  const text = input.value.trim();
  const upload = state.attachment;
  if (!text && !upload) return;
  const c = state.customer;
  const profile = { first_name: c.first_name, ...(c.language_code ? { language_code: c.language_code } : {}) };
  const ok = await act('Sending', async () => {
    if (upload) {
      const { message_id } = await client.sendCustomerMessage(c.id, { ...profile, ...uploadBody(upload), ...(text ? { caption: text } : {}) });
      // Remember the picture for this page: the sandbox keeps only the file's metadata and ids,
      // and the bot's copy in the topic shares the file_unique_id.
      const sent = (await client.getCustomerMessages(c.id, { since: message_id - 1 })).find((m) => m.message_id === message_id);
      const uid = (sent?.media_object as { file_unique_id?: string } | undefined)?.file_unique_id;
      if (uid && upload.previewUrl) state.previews.set(uid, upload.previewUrl);
    } else await client.sendCustomerMessage(c.id, { ...profile, text });
    if (c.id === state.customer.id) state.customerExists = true;
  });
  if (ok) {
    input.value = '';
    clearAttachment(false);
  }
}

function clearAttachment(revoke = true): void {
  if (revoke && state.attachment?.previewUrl) URL.revokeObjectURL(state.attachment.previewUrl);
  state.attachment = undefined;
  $('attachment').hidden = true;
  $<HTMLInputElement>('customer-file').value = '';
  $<HTMLInputElement>('customer-text').placeholder = 'Message';
}

async function attach(file: File): Promise<void> {
  clearAttachment();
  try {
    state.attachment = await prepareUpload(file);
  } catch (e) {
    toast(reason(e), 'error');
    $<HTMLInputElement>('customer-file').value = '';
    return;
  }
  const a = state.attachment;
  const thumb = $<HTMLImageElement>('attachment-thumb');
  thumb.hidden = !a.previewUrl;
  if (a.previewUrl) thumb.src = a.previewUrl;
  $('attachment-label').textContent = a.label;
  $('attachment').hidden = false;
  const text = $<HTMLInputElement>('customer-text');
  text.placeholder = 'Add a caption';
  text.focus();
}

// ---- agents ------------------------------------------------------------------------

function renderAgentPicker(): void {
  const select = $<HTMLSelectElement>('agent-select');
  const members: PlaygroundAgent[] = state.people?.agents ?? [];
  const options = members.some((a) => a.id === state.agent.id) ? [] : [h('option', { value: state.agent.id }, `${state.agent.first_name} · ${state.agent.id}`)];
  for (const a of members) options.push(h('option', { value: a.id }, `${a.name} · ${a.id}${a.status !== 'member' ? ` · ${a.status}` : ''}`));
  select.replaceChildren(...options);
  select.value = String(state.agent.id);
}

function setAgent(p: Person): void {
  state.agent = p;
  store('agent', p);
  renderAgentPicker();
  // "own" messages move to the right
  $('thread-log').replaceChildren();
  $('escalation-log').replaceChildren();
  refreshSoon();
}

/**
 * Agents act only as members of the support group (the desk asks getChatMember and
 * ignores outsiders): make the chosen agent a member of it, and of the chat they act in, once.
 */
async function ensureMember(chatId: number, agent: Person = state.agent, status: 'member' | 'administrator' = 'member'): Promise<void> {
  const support = state.chatIds?.support;
  for (const chat of support !== undefined && support !== chatId ? [support, chatId] : [chatId]) {
    const key = `${chat}:${agent.id}`;
    const listed = chat === support && state.people?.agents.some((a) => a.id === agent.id);
    if (state.joined.has(key) || listed) continue;
    await client.setMember({ user_id: agent.id, status, chat_id: chat, first_name: agent.first_name });
    state.joined.add(key);
  }
}

function groupCtx(onPress: (m: MessageView, b: InlineButton) => void, showThread = false): LogContext {
  return { isOwn: (m) => m.from === 'agent' && m.from_id === state.agent.id, showSender: true, showThread, previews: state.previews, onPress };
}

async function pressInGroup(chatId: number, m: MessageView, b: InlineButton): Promise<void> {
  if (b.copy_text) {
    await navigator.clipboard?.writeText(b.copy_text.text).catch(() => undefined);
    toast('Copied');
    return;
  }
  await act(`Pressing "${b.text}"`, async () => {
    await ensureMember(chatId);
    const r = await client.pressSupportButton({ from_id: state.agent.id, chat_id: chatId, message_id: m.message_id, text: b.text });
    state.pressed.add(r.callback_query_id);
  });
}

async function writeInGroup(chatId: number, input: HTMLInputElement, threadId?: number): Promise<void> {
  const text = input.value.trim();
  if (!text) return;
  const ok = await act('Sending', async () => {
    await ensureMember(chatId);
    await client.sendSupportMessage({
      from_id: state.agent.id,
      first_name: state.agent.first_name,
      chat_id: chatId,
      text,
      ...(threadId !== undefined && threadId !== GENERAL ? { thread_id: threadId } : {}),
    });
  });
  if (ok) input.value = '';
}

// ---- forum -------------------------------------------------------------------------

const topicColor = (c: number) => `#${c.toString(16).padStart(6, '0')}`;

function selectTopic(thread: number): void {
  state.thread = thread;
  store('thread', thread);
  $('thread-log').replaceChildren();
  threadLoaded = false;
  renderTopics();
  refreshSoon();
  $<HTMLInputElement>('agent-text').focus({ preventScroll: true });
}

function renderTopics(): void {
  const live = state.topics.filter((t) => !t.deleted).sort((a, b) => b.thread_id - a.thread_id);
  const items: KeyedItem[] = [{ thread_id: GENERAL, name: 'General', icon_color: 0x8e8e93, closed: false, messages: -1 } as TopicView, ...live].map((t) => ({
    key: String(t.thread_id),
    sig: JSON.stringify([t, state.thread === t.thread_id]),
    render: () => {
      const selected = state.thread === t.thread_id;
      const button = h(
        'button',
        { type: 'button', class: 'topic', 'aria-current': selected ? 'true' : undefined, 'data-thread-id': t.thread_id },
        h(
          'span',
          { class: 'topic-icon', style: `background: ${topicColor(t.icon_color)}`, 'aria-hidden': 'true' },
          t.thread_id === GENERAL ? '#' : initials(t.name).slice(0, 1),
        ),
        h(
          'span',
          { class: 'topic-text' },
          h('span', { class: 'topic-name' }, t.name),
          h(
            'span',
            { class: 'topic-sub' },
            t.thread_id === GENERAL ? 'the group itself' : `#${t.thread_id} · ${t.messages} message${t.messages === 1 ? '' : 's'}`,
            t.closed ? h('span', { class: 'closed' }, ' · closed') : null,
          ),
        ),
      );
      button.addEventListener('click', () => selectTopic(t.thread_id));
      return h('li', {}, button);
    },
  }));
  syncList($('topic-list'), items);
  const current = state.thread === GENERAL ? { name: 'General', closed: false } : live.find((t) => t.thread_id === state.thread);
  $('thread-title').textContent = current ? current.name : 'Pick a topic';
  $('thread-sub').textContent = current
    ? state.thread === GENERAL
      ? 'the group’s General topic'
      : `topic #${state.thread}${current.closed ? ' · closed' : ''} · commands: /take, /note <text>, /resolve …`
    : 'one topic per customer · ❗️ waiting · 📝 in progress · 🏁 solved';
  const composer = $('agent-composer');
  composer.toggleAttribute('inert', !current);
  composer.classList.toggle('disabled', !current);
}

let threadLoaded = false;
const threadCtx = groupCtx((m, b) => void pressInGroup(state.chatIds!.support, m, b));

async function refreshForum(): Promise<void> {
  if (!state.chatIds) return;
  state.topics = await client.getTopics();
  renderTopics();
  const thread = state.thread;
  if (thread === undefined || (thread !== GENERAL && !state.topics.some((t) => t.thread_id === thread && !t.deleted))) {
    $('thread-empty').hidden = false;
    $('thread-log').replaceChildren();
    return;
  }
  const messages = await client.getChatMessages(state.chatIds.support, { threadId: thread });
  if (thread !== state.thread) return;
  $('thread-empty').hidden = true;
  keepScrolled($('thread-scroll'), () => syncList($('thread-log'), messageItems(messages, threadCtx, 't')), !threadLoaded);
  threadLoaded = true;
  noticeAnswers(messages);
}

// ---- escalation ----------------------------------------------------------------------

let escalationLoaded = false;
const escalationCtx = groupCtx((m, b) => void pressInGroup(state.chatIds!.escalation, m, b), true);

async function refreshEscalation(): Promise<void> {
  if (!state.chatIds) return;
  const messages = await client.getChatMessages(state.chatIds.escalation);
  state.escalationLatest = messages.at(-1)?.message_id ?? 0;
  if (state.tab === 'escalation') {
    $('escalation-empty').hidden = messages.length > 0;
    keepScrolled($('escalation-scroll'), () => syncList($('escalation-log'), messageItems(messages, escalationCtx, 'e')), !escalationLoaded);
    escalationLoaded = true;
    markEscalationSeen();
  }
  noticeAnswers(messages);
  const unseen = messages.filter((m) => m.from === 'bot' && m.message_id > state.escalationSeen).length;
  const badge = $('escalation-badge');
  badge.hidden = unseen === 0 || state.tab === 'escalation';
  badge.textContent = String(unseen);
  badge.setAttribute('aria-label', `${unseen} new`);
}

function markEscalationSeen(): void {
  if (state.escalationLatest > state.escalationSeen) {
    state.escalationSeen = state.escalationLatest;
    store('escalationSeen', state.escalationSeen);
  }
}

function selectTab(tab: 'forum' | 'escalation'): void {
  state.tab = tab;
  for (const [t, panel] of [
    ['forum', 'panel-forum'],
    ['escalation', 'panel-escalation'],
  ] as const) {
    const button = $(`tab-${t}`);
    button.setAttribute('aria-selected', String(t === tab));
    button.tabIndex = t === tab ? 0 : -1;
    $(panel).hidden = t !== tab;
  }
  escalationLoaded = false;
  refreshSoon();
}

// ---- polling ---------------------------------------------------------------------------

let timer: ReturnType<typeof setTimeout> | undefined;
let running: Promise<void> | undefined;
let again = false;
let peopleAt = 0;

async function refreshPeople(): Promise<void> {
  const id = state.customer.id;
  const res = await fetch(`/sandbox/playground/api/people?customer=${id}`);
  if (!res.ok) throw new Error(`people: ${res.status}`);
  state.people = (await res.json()) as PlaygroundPeople;
  state.chatIds = state.people.chat_ids;
  if (id === state.customer.id) state.customerExists = state.people.current != null;
  peopleAt = Date.now();
  renderCustomerPicker();
  renderAgentPicker();
}

async function tick(): Promise<void> {
  let ok = true;
  try {
    if (!state.chatIds || Date.now() - peopleAt > PEOPLE_EVERY_MS) await refreshPeople();
    await Promise.all([refreshCustomer(), refreshForum(), refreshEscalation()]);
    setLive(true);
  } catch (e) {
    ok = false;
    setLive(false, reason(e));
  }
  clearTimeout(timer);
  timer = setTimeout(refreshSoon, !ok ? POLL_OFFLINE_MS : document.hidden ? POLL_HIDDEN_MS : POLL_MS);
}

/** Refreshes now, or right after the refresh in flight (never two at once). */
function refreshSoon(): void {
  if (running) {
    again = true;
    return;
  }
  running = tick().finally(() => {
    running = undefined;
    if (again) {
      again = false;
      refreshSoon();
    }
  });
}

// ---- wiring ------------------------------------------------------------------------------

function toggleForm(button: HTMLElement, form: HTMLElement, open: boolean, focus?: HTMLInputElement): void {
  form.hidden = !open;
  button.setAttribute('aria-expanded', String(open));
  if (open) focus?.focus();
}

function wire(): void {
  $('customer-composer').addEventListener('submit', (e) => {
    e.preventDefault();
    void sendAsCustomer();
  });
  $<HTMLInputElement>('customer-file').addEventListener('change', (e) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (file) void attach(file);
  });
  $('attachment-remove').addEventListener('click', () => clearAttachment());
  $<HTMLSelectElement>('customer-select').addEventListener('change', (e) => {
    const id = Number((e.target as HTMLSelectElement).value);
    const c = state.people?.customers.find((x) => x.id === id);
    if (c) setCustomer({ id, first_name: c.first_name, ...(c.language_code ? { language_code: c.language_code } : {}) });
  });

  const nc = $('new-customer');
  const ncToggle = $('new-customer-toggle');
  ncToggle.addEventListener('click', () => {
    $<HTMLInputElement>('nc-id').value = String(randomId(100_000));
    toggleForm(ncToggle, nc, nc.hidden !== false, $<HTMLInputElement>('nc-name'));
  });
  nc.addEventListener('submit', (e) => {
    e.preventDefault();
    const id = Number($<HTMLInputElement>('nc-id').value);
    const first_name = $<HTMLInputElement>('nc-name').value.trim();
    if (!Number.isSafeInteger(id) || id < 1 || !first_name) return;
    setCustomer({ id, first_name, language_code: $<HTMLSelectElement>('nc-lang').value });
    toggleForm(ncToggle, nc, false);
    $<HTMLInputElement>('customer-text').focus();
  });

  $('agent-composer').addEventListener('submit', (e) => {
    e.preventDefault();
    if (state.chatIds && state.thread !== undefined) void writeInGroup(state.chatIds.support, $<HTMLInputElement>('agent-text'), state.thread);
  });
  $('escalation-composer').addEventListener('submit', (e) => {
    e.preventDefault();
    if (state.chatIds) void writeInGroup(state.chatIds.escalation, $<HTMLInputElement>('escalation-text'));
  });
  $<HTMLSelectElement>('agent-select').addEventListener('change', (e) => {
    const id = Number((e.target as HTMLSelectElement).value);
    const a = state.people?.agents.find((x) => x.id === id);
    if (a) setAgent({ id, first_name: a.first_name });
  });
  const na = $('new-agent');
  const naToggle = $('new-agent-toggle');
  naToggle.addEventListener('click', () => {
    $<HTMLInputElement>('na-id').value = String(randomId(8_000_000));
    toggleForm(naToggle, na, na.hidden !== false, $<HTMLInputElement>('na-name'));
  });
  na.addEventListener('submit', (e) => {
    e.preventDefault();
    const id = Number($<HTMLInputElement>('na-id').value);
    const first_name = $<HTMLInputElement>('na-name').value.trim();
    const status = $<HTMLSelectElement>('na-status').value as 'member' | 'administrator';
    if (!Number.isSafeInteger(id) || id < 1 || !first_name || !state.chatIds) return;
    const chatId = state.chatIds.support;
    void act('Adding the agent', async () => {
      await ensureMember(chatId, { id, first_name }, status);
      setAgent({ id, first_name });
      toggleForm(naToggle, na, false);
      peopleAt = 0;
    });
  });

  const tabs = [$('tab-forum'), $('tab-escalation')];
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => selectTab(i === 0 ? 'forum' : 'escalation'));
    tab.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
      const next = tabs[(i + 1) % 2]!;
      next.focus();
      next.click();
    });
  });
  document.addEventListener('visibilitychange', () => !document.hidden && refreshSoon());
}

async function main(): Promise<void> {
  dashboardLink();
  wire();
  try {
    state.botName = `@${(await client.getInfo()).bot.username ?? 'bot'}`;
  } catch {
    /* the first poll reports the sandbox unreachable */
  }
  renderCustomerHead();
  renderCustomerPicker();
  renderAgentPicker();
  renderTopics();
  refreshSoon();
}

void main();
