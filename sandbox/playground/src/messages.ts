/** One chat message as a Telegram-like bubble: sender, media, formatted text, time, inline buttons. */
import type { MessageView } from '../../client.js';
import { dayKey, dayLabel, duration, fileSize, fullDate, h, hhmm, peerColor, type KeyedItem } from './dom.js';
import { appendFormatted, safeHref, type Entity } from './text.js';

export interface InlineButton {
  text: string;
  callback_data?: string;
  url?: string;
  copy_text?: { text: string };
}

export interface LogContext {
  /** Messages on the right: the customer's own in their chat, the chosen agent's in the groups. */
  isOwn(m: MessageView): boolean;
  /** Show the sender's name above the bubble (groups). */
  showSender: boolean;
  /** Label the topic a message belongs to (the escalation chat, read as one stream). */
  showThread?: boolean;
  /** Local previews of files uploaded from this page, by file_unique_id (the sandbox keeps no bytes). */
  previews: ReadonlyMap<string, string>;
  onPress(m: MessageView, button: InlineButton): void;
}

const SERVICE_TEXT: Record<string, string> = {
  forum_topic_created: 'Topic created',
  forum_topic_edited: 'Topic renamed',
  forum_topic_closed: 'Topic closed',
  forum_topic_reopened: 'Topic reopened',
  pinned_message: 'Message pinned',
};

type MediaObject = Record<string, unknown> & { file_unique_id?: string; file_size?: number };
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

function fileTile(icon: string, title: string, detail: string): HTMLElement {
  return h(
    'div',
    { class: 'file' },
    h('span', { class: 'file-icon', 'aria-hidden': 'true' }, icon),
    h('span', { class: 'file-text' }, h('span', { class: 'file-name' }, title), h('span', { class: 'file-detail' }, detail)),
  );
}

function mediaBlock(m: MessageView, previews: ReadonlyMap<string, string>): HTMLElement | undefined {
  if (!m.media) return undefined;
  const o = (m.media_object ?? {}) as MediaObject;
  const size = fileSize(num(o.file_size));
  switch (m.media) {
    case 'photo': {
      const w = num(o.width) ?? 1;
      const hgt = num(o.height) ?? 1;
      const src = o.file_unique_id ? previews.get(o.file_unique_id) : undefined;
      if (src) return h('img', { class: 'photo', src, alt: m.caption ? `Photo: ${m.caption}` : 'Photo', width: w, height: hgt, loading: 'lazy' });
      return h(
        'div',
        { class: 'photo placeholder', role: 'img', 'aria-label': `Photo ${w}×${hgt}`, style: `aspect-ratio: ${w} / ${hgt}` },
        h('span', { 'aria-hidden': 'true' }, '🖼'),
        h('span', {}, `Photo · ${w}×${hgt}${size ? ` · ${size}` : ''}`),
      );
    }
    case 'document':
      return fileTile('📄', str(o.file_name) ?? 'File', [size, str(o.mime_type)].filter(Boolean).join(' · '));
    case 'video':
      return fileTile(
        '🎬',
        str(o.file_name) ?? 'Video',
        [duration(num(o.duration) ?? 0), `${num(o.width)}×${num(o.height)}`, size].filter(Boolean).join(' · '),
      );
    case 'animation':
      return fileTile('🎞', 'GIF', [duration(num(o.duration) ?? 0), size].filter(Boolean).join(' · '));
    case 'audio':
      return fileTile(
        '🎵',
        [str(o.performer), str(o.title)].filter(Boolean).join(' — ') || str(o.file_name) || 'Audio',
        [duration(num(o.duration) ?? 0), size].filter(Boolean).join(' · '),
      );
    case 'voice':
      return fileTile('🎤', 'Voice message', duration(num(o.duration) ?? 0));
    case 'video_note':
      return fileTile('⭕', 'Video message', duration(num(o.duration) ?? 0));
    case 'sticker':
      return h('div', { class: 'sticker', role: 'img', 'aria-label': 'Sticker' }, str(o.emoji) ?? '🖼');
    case 'location': {
      const lat = num(o.latitude);
      const lon = num(o.longitude);
      return fileTile('📍', 'Location', `${lat?.toFixed(5)}, ${lon?.toFixed(5)}`);
    }
    case 'venue': {
      const loc = (o.location ?? {}) as MediaObject;
      return fileTile('📍', str(o.title) ?? 'Venue', str(o.address) ?? `${num(loc.latitude)}, ${num(loc.longitude)}`);
    }
    case 'contact':
      return fileTile('👤', [str(o.first_name), str(o.last_name)].filter(Boolean).join(' '), str(o.phone_number) ?? '');
    case 'poll': {
      const options = Array.isArray(o.options) ? (o.options as { text: string }[]) : [];
      return h(
        'div',
        { class: 'poll' },
        h('div', { class: 'poll-q' }, `📊 ${str(o.question) ?? 'Poll'}`),
        h('ul', {}, ...options.map((op) => h('li', {}, op.text))),
      );
    }
    case 'dice':
      return h('div', { class: 'sticker', role: 'img', 'aria-label': `Dice: ${num(o.value)}` }, `${str(o.emoji) ?? '🎲'}`, h('small', {}, ` ${num(o.value)}`));
    default:
      return fileTile('📎', m.media, size);
  }
}

function keyboard(m: MessageView, ctx: LogContext): HTMLElement | undefined {
  const rows = (m.reply_markup?.inline_keyboard ?? undefined) as InlineButton[][] | undefined;
  if (!Array.isArray(rows) || rows.length === 0) return undefined;
  return h(
    'div',
    { class: 'keyboard', role: 'group', 'aria-label': 'Message buttons' },
    ...rows.map((row) =>
      h(
        'div',
        { class: 'kb-row' },
        ...row.map((b) => {
          const href = b.url ? safeHref(b.url) : undefined;
          if (href)
            return h(
              'a',
              { class: 'kb-button', href, target: '_blank', rel: 'noopener noreferrer' },
              b.text,
              h('span', { class: 'kb-corner', 'aria-hidden': 'true' }, '↗'),
            );
          const button = h('button', { type: 'button', class: 'kb-button', disabled: !b.callback_data && !b.copy_text }, b.text);
          button.addEventListener('click', () => ctx.onPress(m, b));
          return button;
        }),
      ),
    ),
  );
}

function quote(target: MessageView | undefined, id: number): HTMLElement {
  const text = target ? (target.text ?? target.caption ?? (target.media ? `[${target.media}]` : '')) : '';
  return h(
    'div',
    { class: 'reply-ref' },
    h('span', { class: 'reply-name' }, target?.from_name ?? `message ${id}`),
    h('span', { class: 'reply-text' }, text.slice(0, 120)),
  );
}

function messageItem(m: MessageView, ctx: LogContext, firstOfDay: boolean, replied: MessageView | undefined): HTMLElement {
  const day = firstOfDay ? h('div', { class: 'day' }, h('span', {}, dayLabel(m.date))) : null;
  if (m.service) {
    return h(
      'li',
      { class: 'msg service', 'data-message-id': m.message_id },
      day,
      h('div', { class: 'service-pill' }, SERVICE_TEXT[m.service] ?? m.service.replaceAll('_', ' ')),
    );
  }
  const own = ctx.isOwn(m);
  // dir=auto: a Persian or Arabic message reads right to left, as in Telegram.
  const body = h('div', { class: 'text', dir: 'auto' });
  appendFormatted(body, m.text ?? m.caption ?? '', (m.entities ?? []) as Entity[]);
  const sender =
    ctx.showSender && !own
      ? h(
          'div',
          { class: 'sender', style: `color: ${m.from === 'bot' ? '#3390ec' : peerColor(m.from_id)}` },
          m.from_name,
          m.from === 'bot' ? h('span', { class: 'bot-tag' }, 'bot') : null,
        )
      : null;
  const meta = h(
    'span',
    { class: 'meta' },
    ctx.showThread && m.thread_id ? h('span', { class: 'thread-tag' }, `topic ${m.thread_id}`) : null,
    m.forwarded ? h('span', {}, 'forwarded') : null,
    m.pinned ? h('span', { 'aria-label': 'pinned' }, '📌') : null,
    m.edited ? h('span', {}, 'edited') : null,
    h('time', { datetime: new Date(m.date * 1000).toISOString(), title: fullDate(m.date) }, hhmm(m.date)),
  );
  const reactions = [...((m.reactions ?? []) as { emoji?: string }[]).map((r) => r.emoji), ...(m.user_reactions ?? [])].filter(Boolean);
  const media = mediaBlock(m, ctx.previews);
  const bubble = h(
    'div',
    { class: `bubble${media && !m.caption && m.media === 'photo' ? ' bare' : ''}${m.media === 'sticker' || m.media === 'dice' ? ' sticker-bubble' : ''}` },
    sender,
    m.reply_to !== undefined ? quote(replied, m.reply_to) : null,
    media ?? null,
    m.text !== undefined || m.caption !== undefined ? body : null,
    reactions.length ? h('div', { class: 'reactions' }, reactions.join(' ')) : null,
    meta,
  );
  return h(
    'li',
    { class: `msg ${own ? 'out' : 'in'} from-${m.from}`, 'data-message-id': m.message_id, 'data-from': m.from },
    day,
    bubble,
    keyboard(m, ctx) ?? null,
  );
}

/** Keyed items for syncList; the signature covers everything the rendering depends on. */
export function messageItems(messages: readonly MessageView[], ctx: LogContext, keyPrefix = ''): KeyedItem[] {
  const byId = new Map(messages.map((m) => [m.message_id, m]));
  let prevDay = '';
  return messages.map((m) => {
    const d = dayKey(m.date);
    const firstOfDay = d !== prevDay;
    prevDay = d;
    const replied = m.reply_to !== undefined ? byId.get(m.reply_to) : undefined;
    const uid = (m.media_object as MediaObject | undefined)?.file_unique_id;
    const sig = JSON.stringify([m, firstOfDay, ctx.isOwn(m), uid ? ctx.previews.has(uid) : false, replied?.text ?? replied?.caption]);
    return { key: `${keyPrefix}${m.message_id}`, sig, render: () => messageItem(m, ctx, firstOfDay, replied) };
  });
}
