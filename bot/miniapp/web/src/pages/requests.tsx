/** My requests: every ticket of the customer, newest first, open or closed, with status, ETA and who answers. */
import { useState } from 'preact/hooks';
import type { TicketSummary } from '../api.js';
import { href } from '../router.js';
import { ErrorBox, Eta, expected, isOpen, isWaiting, Loading, Page, StatusBadge, useApp, useLoad, useNow, usePoll } from '../ui.js';

type Filter = 'open' | 'closed' | 'all';
const FILTER_KEY = 'miniapp.filter';

export function categoryLabel(meta: { categories: { key: string; label: string }[] }, category: string | null | undefined): string | undefined {
  if (!category) return undefined;
  return meta.categories.find((c) => c.key === category)?.label ?? category;
}

function TicketCard({ ticket, now }: { ticket: TicketSummary; now: number }) {
  const { i18n, meta } = useApp();
  const category = categoryLabel(meta, ticket.category);
  return (
    <li class="card ticket" data-number={ticket.number}>
      <a href={href({ page: 'ticket', number: ticket.number })} class="card-link">
        <h2 class="card-title">
          {i18n.t('ticket_number', { number: ticket.number })}
          {category && <span class="muted"> · {category}</span>}
        </h2>
      </a>
      <StatusBadge status={ticket.status} />
      <dl class="facts">
        {isWaiting(ticket.status) && expected(ticket) && (
          <div>
            <dt>{i18n.t('field_eta')}</dt>
            <dd>
              <Eta eta={expected(ticket)!} now={now} />
            </dd>
          </div>
        )}
        {ticket.agent_first_name && (
          <div>
            <dt>{i18n.t('field_agent')}</dt>
            <dd class="agent">{ticket.agent_first_name}</dd>
          </div>
        )}
        <div>
          <dt>{i18n.t('field_queue')}</dt>
          <dd class="queue">{ticket.queue}</dd>
        </div>
        <div>
          <dt>{i18n.t('field_created')}</dt>
          <dd>
            <time dateTime={ticket.created_at} class="created">
              {i18n.short(ticket.created_at)}
            </time>
          </dd>
        </div>
        {ticket.last_message_at && (
          <div>
            <dt>{i18n.t('field_last_message')}</dt>
            <dd>
              <time dateTime={ticket.last_message_at}>{i18n.short(ticket.last_message_at)}</time>
              {ticket.last_message && <span class="last-text">{ticket.last_message}</span>}
            </dd>
          </div>
        )}
      </dl>
    </li>
  );
}

export function RequestsPage() {
  const { api, i18n } = useApp();
  const now = useNow();
  const [filter, setFilterState] = useState<Filter>(() => (sessionStorage.getItem(FILTER_KEY) as Filter | null) ?? 'open');
  const setFilter = (f: Filter) => {
    setFilterState(f);
    sessionStorage.setItem(FILTER_KEY, f);
  };
  const [tickets, reload] = useLoad(() => api.tickets(), []);
  usePoll(reload, 30_000);
  const shown =
    tickets.state === 'ok'
      ? tickets.data
          .filter((t) => filter === 'all' || (filter === 'open') === isOpen(t.status))
          .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || b.number - a.number)
      : [];
  const filters: Filter[] = ['open', 'closed', 'all'];
  return (
    <Page id="requests" title={i18n.t('requests_title')}>
      <fieldset class="segmented">
        <legend class="visually-hidden">{i18n.t('filter_label')}</legend>
        {filters.map((f) => (
          <label key={f} class={filter === f ? 'on' : undefined}>
            <input type="radio" name="filter" value={f} checked={filter === f} onChange={() => setFilter(f)} />
            {i18n.t(`filter_${f}`)}
          </label>
        ))}
      </fieldset>
      <p class="legend">
        <span class="visually-hidden">{i18n.t('legend_label')}: </span>
        {i18n.t('legend')}
      </p>
      {tickets.state === 'loading' && <Loading />}
      {tickets.state === 'error' && <ErrorBox error={tickets.error} retry={reload} />}
      {tickets.state === 'ok' && (
        <>
          <p class="count" aria-live="polite">
            {i18n.t('requests_count', { count: shown.length })}
          </p>
          {shown.length === 0 ? (
            <div class="empty">
              <p>{i18n.t(`requests_empty_${filter}`)}</p>
              <a class="button" href={href({ page: 'new' })}>
                {i18n.t('requests_new')}
              </a>
            </div>
          ) : (
            <ul class="cards" id="ticket-list">
              {shown.map((t) => (
                <TicketCard key={t.number} ticket={t} now={now} />
              ))}
            </ul>
          )}
        </>
      )}
    </Page>
  );
}
