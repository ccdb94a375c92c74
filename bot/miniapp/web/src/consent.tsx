/**
 * Consent in the app (CONSENT_VERSION; GET/POST /app/api/consent, bot/miniapp/api/consent.ts): before New request,
 * a customer who has not accepted the current privacy notice sees it with Accept (the server refuses the request
 * until then, 403); Settings shows what was accepted and when, and "Withdraw consent" — which is the deletion.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { ConsentState } from './api.js';
import { ErrorBox, Loading, Page, useApp, useLoad, useMainButton } from './ui.js';

/** The privacy notice and Accept, until accepted; then `children` (the new-request form). */
export function ConsentGate({ children }: { children: ComponentChildren }) {
  const { api, i18n } = useApp();
  const [loaded, reload] = useLoad(() => api.consent(), []);
  const [accepted, setAccepted] = useState(false);
  const [state, setState] = useState<'idle' | 'busy' | { error: unknown }>('idle');
  const pending = loaded.state === 'ok' && loaded.data.required && !loaded.data.accepted && !accepted;
  const accept = async () => {
    if (loaded.state !== 'ok' || !loaded.data.version || state === 'busy') return;
    setState('busy');
    try {
      await api.acceptConsent(loaded.data.version);
      setAccepted(true);
      setState('idle');
    } catch (error) {
      setState({ error });
    }
  };
  const inTelegram = useMainButton(
    pending ? { text: i18n.t('consent_accept'), onClick: accept, enabled: state !== 'busy', busy: state === 'busy' } : undefined,
  );
  if (loaded.state === 'loading') return <Loading />;
  if (loaded.state === 'error')
    return (
      <Page id="consent" title={i18n.t('new_title')}>
        <ErrorBox error={loaded.error} retry={reload} />
      </Page>
    );
  if (!pending) return <>{children}</>;
  const c = loaded.data;
  return (
    <Page id="consent" title={i18n.t('consent_title')}>
      <section class="card consent" aria-labelledby="consent-h">
        <h2 id="consent-h">{i18n.t('consent_heading')}</h2>
        <p>{i18n.t('consent_text')}</p>
        {c.notice_url && (
          <p>
            <a id="consent-notice" href={c.notice_url} target="_blank" rel="noopener noreferrer">
              {i18n.t('consent_notice_link', { version: c.version ?? '' })}
            </a>
          </p>
        )}
        {typeof state === 'object' && <ErrorBox error={state.error} />}
        {!inTelegram && (
          <button type="button" class="button wide" id="consent-accept" onClick={accept} disabled={state === 'busy'}>
            {i18n.t('consent_accept')}
          </button>
        )}
      </section>
    </Page>
  );
}

/** Settings: the consent's state, and Withdraw (opens the deletion's confirmation: withdrawing is deleting). */
export function ConsentStatus({ onWithdraw }: { onWithdraw: () => void }) {
  const { api, i18n } = useApp();
  const [loaded] = useLoad<ConsentState>(() => api.consent(), []);
  if (loaded.state !== 'ok' || !loaded.data.required) return null;
  const c = loaded.data;
  const text = c.accepted
    ? i18n.t('consent_given', { version: c.accepted_version ?? '', date: c.accepted_at ? i18n.dateTime(c.accepted_at) : '' })
    : c.accepted_version
      ? i18n.t('consent_outdated', { version: c.version ?? '' })
      : i18n.t('consent_none');
  return (
    <div class="consent-state" id="consent-state" data-accepted={String(c.accepted)}>
      <p>{text}</p>
      {c.accepted && (
        <>
          <p class="hint">{i18n.t('consent_withdraw_hint')}</p>
          <button type="button" class="button danger" id="withdraw" onClick={onWithdraw}>
            {i18n.t('consent_withdraw')}
          </button>
        </>
      )}
    </div>
  );
}
