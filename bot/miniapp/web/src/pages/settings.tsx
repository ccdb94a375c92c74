/**
 * Settings: language (fa right to left), time zone, quiet hours, notifications; privacy: consent (withdrawing it
 * deletes), export and deletion; the official accounts and "Report a fake account".
 */
import { useRef, useState } from 'preact/hooks';
import type { Settings, StatusUpdates } from '../api.js';
import { asLang, deviceZone, type Key, LANGUAGES } from '../i18n.js';
import { ConsentStatus } from '../consent.js';
import { ErrorBox, Notice, Page, useApp, useMainButton } from '../ui.js';

function zones(current: string): string[] {
  let all: string[];
  try {
    all = (Intl as unknown as { supportedValuesOf(k: 'timeZone'): string[] }).supportedValuesOf('timeZone');
  } catch {
    all = [];
  }
  const set = new Set(['UTC', ...all]);
  set.add(current);
  return [...set];
}

function Privacy() {
  const { api, i18n, onDeleted } = useApp();
  const dialog = useRef<HTMLDialogElement>(null);
  const [state, setState] = useState<'idle' | 'busy' | { error: unknown }>('idle');
  const download = async () => {
    try {
      const data = await api.exportMe();
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = 'my-support-data.json';
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      setState({ error });
    }
  };
  const erase = async () => {
    setState('busy');
    try {
      await api.deleteMe();
      dialog.current?.close();
      onDeleted();
    } catch (error) {
      dialog.current?.close();
      setState({ error });
    }
  };
  return (
    <section class="card privacy" aria-labelledby="privacy-h">
      <h2 id="privacy-h">{i18n.t('privacy_title')}</h2>
      <p>{i18n.t('privacy_text')}</p>
      <ConsentStatus onWithdraw={() => dialog.current?.showModal()} />
      <div class="row">
        <button type="button" class="button secondary" id="export" onClick={download}>
          {i18n.t('export')}
        </button>
        <button type="button" class="button danger" id="delete" onClick={() => dialog.current?.showModal()}>
          {i18n.t('delete')}
        </button>
      </div>
      {typeof state === 'object' && <ErrorBox error={state.error} />}
      <dialog ref={dialog} aria-labelledby="delete-h" aria-describedby="delete-text" id="delete-dialog">
        <h2 id="delete-h">{i18n.t('delete_confirm_title')}</h2>
        <p id="delete-text">{i18n.t('delete_confirm_text')}</p>
        <div class="row">
          <button type="button" class="button secondary" onClick={() => dialog.current?.close()}>
            {i18n.t('cancel')}
          </button>
          <button type="button" class="button danger" id="delete-confirm" onClick={erase} disabled={state === 'busy'}>
            {i18n.t('delete_confirm')}
          </button>
        </div>
      </dialog>
    </section>
  );
}

/** The official accounts (when configured) and a one-field report of a fake one, as /official and /reportfake in the chat. */
function OfficialAccounts() {
  const { api, i18n, meta } = useApp();
  const [account, setAccount] = useState('');
  const [state, setState] = useState<'idle' | 'busy' | 'sent' | { error: unknown }>('idle');
  const send = async (e: Event) => {
    e.preventDefault();
    setState('busy');
    try {
      await api.reportFake(account);
      setAccount('');
      setState('sent');
    } catch (error) {
      setState({ error });
    }
  };
  return (
    <section class="card official" aria-labelledby="official-h">
      <h2 id="official-h">{i18n.t('official_title')}</h2>
      {meta.officialAccounts.length > 0 && (
        <p>
          {i18n.t('official_text')}{' '}
          {meta.officialAccounts.map((a, i) => (
            <span key={a}>
              {i > 0 && ', '}
              <bdi dir="ltr">{a}</bdi>
            </span>
          ))}
        </p>
      )}
      <p>{i18n.t('official_never')}</p>
      <form id="report-fake" onSubmit={send}>
        <label for="fake-account">{i18n.t('report_fake_label')}</label>
        <input
          id="fake-account"
          dir="ltr"
          autocomplete="off"
          maxLength={200}
          required
          placeholder="@username"
          value={account}
          aria-describedby="fake-hint"
          onInput={(e) => {
            setAccount(e.currentTarget.value);
            if (state !== 'busy') setState('idle');
          }}
        />
        <p id="fake-hint" class="hint">
          {i18n.t('report_fake_hint')}
        </p>
        <button type="submit" class="button secondary" id="report-fake-send" disabled={state === 'busy' || !account.trim()}>
          {i18n.t('report_fake_send')}
        </button>
      </form>
      {state === 'sent' && <Notice>{i18n.t('report_fake_thanks')}</Notice>}
      {typeof state === 'object' && <ErrorBox error={state.error} />}
    </section>
  );
}

export function SettingsPage() {
  const { api, i18n, settings, onSettings } = useApp();
  const [form, setForm] = useState<Settings>(() => ({
    ...settings,
    language: asLang(settings.language) ?? i18n.lang,
    time_zone: settings.time_zone ?? i18n.zone ?? deviceZone(),
  }));
  const [quiet, setQuiet] = useState(settings.quiet_hours ?? { start: '22:00', end: '08:00' });
  const [state, setState] = useState<'idle' | 'busy' | 'saved' | { error: unknown }>('idle');
  const set = (patch: Partial<Settings>) => {
    setForm({ ...form, ...patch });
    if (state !== 'busy') setState('idle');
  };
  const save = async (e?: Event) => {
    e?.preventDefault();
    setState('busy');
    try {
      const body: Settings = { ...form, quiet_hours: form.quiet_hours ? quiet : null };
      const saved = await api.saveSettings(body);
      setState('saved');
      onSettings(saved && typeof saved === 'object' && 'language' in saved ? saved : body);
    } catch (error) {
      setState({ error });
    }
  };
  const inTelegram = useMainButton({ text: i18n.t('save'), onClick: save, enabled: state !== 'busy', busy: state === 'busy' });
  const updates: StatusUpdates[] = ['each', 'summary', 'off'];
  return (
    <Page id="settings" title={i18n.t('settings_title')}>
      <form id="settings-form" onSubmit={save} class="card">
        <label for="language">{i18n.t('language_label')}</label>
        <select id="language" value={form.language} onChange={(e) => set({ language: e.currentTarget.value })}>
          {LANGUAGES.map((l) => (
            <option key={l} value={l} lang={l}>
              {i18n.t(`language_name_${l}` as Key)}
            </option>
          ))}
        </select>
        <label for="time-zone">{i18n.t('time_zone_label')}</label>
        <select id="time-zone" value={form.time_zone ?? ''} onChange={(e) => set({ time_zone: e.currentTarget.value })} aria-describedby="tz-hint">
          {zones(form.time_zone ?? 'UTC').map((z) => (
            <option key={z} value={z}>
              {z.replaceAll('_', ' ')}
            </option>
          ))}
        </select>
        <p id="tz-hint" class="hint">
          {i18n.t('time_zone_hint')}
        </p>
        <fieldset>
          <legend>{i18n.t('quiet_label')}</legend>
          <label class="check">
            <input
              type="checkbox"
              id="quiet"
              checked={form.quiet_hours !== null}
              onChange={(e) => set({ quiet_hours: e.currentTarget.checked ? quiet : null })}
            />
            {i18n.t('quiet_enable')}
          </label>
          {form.quiet_hours !== null && (
            <div class="row times">
              <label>
                {i18n.t('quiet_from')}
                <input type="time" value={quiet.start} onChange={(e) => setQuiet({ ...quiet, start: e.currentTarget.value })} />
              </label>
              <label>
                {i18n.t('quiet_to')}
                <input type="time" value={quiet.end} onChange={(e) => setQuiet({ ...quiet, end: e.currentTarget.value })} />
              </label>
            </div>
          )}
        </fieldset>
        <fieldset>
          <legend>{i18n.t('notifications_label')}</legend>
          {updates.map((u) => (
            <label class="check" key={u}>
              <input
                type="radio"
                name="status_updates"
                value={u}
                checked={form.notifications.status_updates === u}
                onChange={() => set({ notifications: { ...form.notifications, status_updates: u } })}
              />
              {i18n.t(`notify_${u}`)}
            </label>
          ))}
          <label class="check">
            <input
              type="checkbox"
              id="announcements"
              checked={form.notifications.announcements}
              onChange={(e) => set({ notifications: { ...form.notifications, announcements: e.currentTarget.checked } })}
            />
            {i18n.t('announcements')}
          </label>
        </fieldset>
        {!inTelegram && (
          <button type="submit" class="button wide" id="save-settings" disabled={state === 'busy'}>
            {i18n.t('save')}
          </button>
        )}
        {state === 'saved' && <Notice>{i18n.t('saved')}</Notice>}
        {typeof state === 'object' && <ErrorBox error={state.error} />}
      </form>
      <OfficialAccounts />
      <Privacy />
    </Page>
  );
}
