/**
 * The Telegram side of the app, in one typed wrapper.
 *
 * Inside Telegram the official `telegram-web-app.js` (from telegram.org, cached by the clients) is loaded and
 * `window.Telegram.WebApp` drives the theme, BackButton, MainButton, ready() and expand(). Outside Telegram
 * (a browser, the tests) nothing is loaded: the launch data comes from the URL Telegram would have opened —
 * `#tgWebAppData=…&tgWebAppThemeParams=…` (or the same in the query) — and the page's own buttons do the work.
 * A `window.Telegram.WebApp` already present (a host that injected it) is used as it is. The page to open
 * comes as a start parameter: initData's `start_param` (a t.me direct link) or the URL's `?startapp=` (the
 * bot's web_app buttons, which carry none of their own).
 *
 * Why not @telegram-apps/sdk: the official script is what Telegram keeps in step with its clients, costs this
 * bundle nothing (it is only fetched inside Telegram, where the client usually has it cached) and the parts the
 * app needs fit in this file; the SDK would add 15–20 KB gzip to a 60 KB budget for the same calls.
 */

export interface ThemeParams {
  bg_color?: string;
  text_color?: string;
  hint_color?: string;
  link_color?: string;
  button_color?: string;
  button_text_color?: string;
  secondary_bg_color?: string;
  header_bg_color?: string;
  accent_text_color?: string;
  section_bg_color?: string;
  subtitle_text_color?: string;
  destructive_text_color?: string;
}

interface TgBottomButton {
  readonly isVisible: boolean;
  setText(text: string): TgBottomButton;
  onClick(cb: () => void): TgBottomButton;
  offClick(cb: () => void): TgBottomButton;
  show(): TgBottomButton;
  hide(): TgBottomButton;
  enable(): TgBottomButton;
  disable(): TgBottomButton;
  showProgress?(leaveActive?: boolean): TgBottomButton;
  hideProgress?(): TgBottomButton;
}

interface TgBackButton {
  onClick(cb: () => void): TgBackButton;
  offClick(cb: () => void): TgBackButton;
  show(): TgBackButton;
  hide(): TgBackButton;
}

export interface TgWebApp {
  initData: string;
  initDataUnsafe?: { start_param?: string; user?: { language_code?: string } };
  colorScheme?: 'light' | 'dark';
  themeParams?: ThemeParams;
  version?: string;
  platform?: string;
  ready(): void;
  expand(): void;
  isVersionAtLeast?(version: string): boolean;
  onEvent(event: 'themeChanged', cb: () => void): void;
  BackButton?: TgBackButton;
  MainButton?: TgBottomButton;
  HapticFeedback?: { notificationOccurred(type: 'error' | 'success' | 'warning'): void };
}

declare global {
  interface Window {
    Telegram?: { WebApp?: TgWebApp };
    TelegramWebviewProxy?: unknown;
  }
}

/** What the app was opened with. */
export interface Launch {
  /** The raw signed init data: sent as `Authorization: tma <initData>`; empty when opened without it. */
  initData: string;
  startParam?: string;
  languageCode?: string;
  theme?: ThemeParams;
  colorScheme?: 'light' | 'dark';
}

const SDK_URL = 'https://telegram.org/js/telegram-web-app.js';
const STORED = 'miniapp.launch';

/** Telegram's clients give a webview a bridge (mobile, desktop) or embed the app in an iframe (web). */
export function insideTelegram(): boolean {
  const ext = (window as { external?: object }).external;
  return window.TelegramWebviewProxy !== undefined || (ext !== undefined && 'notify' in ext) || window.parent !== window;
}

/** Loads the official script when inside Telegram (at most `timeoutMs`); resolves with the WebApp, if any. */
export async function loadTelegram(timeoutMs = 4000): Promise<TgWebApp | undefined> {
  if (window.Telegram?.WebApp) return window.Telegram.WebApp;
  if (!insideTelegram()) return undefined;
  await new Promise<void>((resolve) => {
    const script = document.createElement('script');
    script.src = SDK_URL;
    script.onload = script.onerror = () => resolve();
    setTimeout(resolve, timeoutMs);
    document.head.append(script);
  });
  return window.Telegram?.WebApp;
}

function parseTheme(json: string | null): ThemeParams | undefined {
  if (!json) return undefined;
  try {
    const v: unknown = JSON.parse(json);
    return v && typeof v === 'object' ? (v as ThemeParams) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The launch data: the WebApp's (inside Telegram), else the URL's hash or query, else what this tab stored at
 * its first load (a reload keeps working). Never logged.
 */
export function readLaunch(tg: TgWebApp | undefined): Launch {
  const hash = new URLSearchParams(location.hash.slice(1));
  const query = new URLSearchParams(location.search);
  const param = (k: string) => hash.get(k) ?? query.get(k);
  let launch: Launch | undefined;
  if (tg?.initData) {
    launch = {
      initData: tg.initData,
      startParam: tg.initDataUnsafe?.start_param ?? query.get('startapp') ?? undefined,
      languageCode: tg.initDataUnsafe?.user?.language_code,
      theme: tg.themeParams,
      colorScheme: tg.colorScheme,
    };
  } else if (param('tgWebAppData')) {
    const initData = param('tgWebAppData')!;
    const fields = new URLSearchParams(initData);
    let languageCode: string | undefined;
    try {
      languageCode = (JSON.parse(fields.get('user') ?? '{}') as { language_code?: string }).language_code;
    } catch {
      languageCode = undefined;
    }
    launch = {
      initData,
      startParam: param('tgWebAppStartParam') ?? fields.get('start_param') ?? query.get('startapp') ?? undefined,
      languageCode,
      theme: parseTheme(param('tgWebAppThemeParams')),
    };
  }
  if (launch) {
    try {
      sessionStorage.setItem(STORED, JSON.stringify({ ...launch, startParam: undefined }));
    } catch {
      // storage refused (private mode): a reload asks to reopen from Telegram
    }
    return launch;
  }
  try {
    const stored = sessionStorage.getItem(STORED);
    if (stored) return JSON.parse(stored) as Launch;
  } catch {
    // nothing stored
  }
  return { initData: '' };
}

export function forgetLaunch(): void {
  try {
    sessionStorage.removeItem(STORED);
  } catch {
    // nothing to forget
  }
}

// ---- theme: Telegram's colours as CSS variables, with WCAG AA contrast kept ----

type Rgb = [number, number, number];

function parseHex(c: string | undefined): Rgb | undefined {
  const m = c && /^#?([0-9a-f]{6}|[0-9a-f]{3})$/i.exec(c.trim());
  if (!m) return undefined;
  const h = m[1]!.length === 3 ? [...m[1]!].map((x) => x + x).join('') : m[1]!;
  return [0, 2, 4].map((i) => Number.parseInt(h.slice(i, i + 2), 16)) as Rgb;
}

const hex = (c: Rgb) => `#${c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;

function luminance([r, g, b]: Rgb): number {
  const lin = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrast(a: Rgb, b: Rgb): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
}

/** `color` moved toward black or white (away from `against`) until the pair reaches `min` (4.5: WCAG AA text). */
export function withContrast(color: Rgb, against: Rgb, min = 4.5): Rgb {
  if (contrast(color, against) >= min) return color;
  const target: Rgb = luminance(against) > 0.4 ? [0, 0, 0] : [255, 255, 255];
  for (let t = 0.05; t <= 1; t += 0.05) {
    const mixed = color.map((v, i) => v + (target[i]! - v) * t) as Rgb;
    if (contrast(mixed, against) >= min) return mixed;
  }
  return target;
}

/**
 * Sets the theme's CSS variables on <html> (the stylesheet's prefers-color-scheme colours stay when Telegram
 * gives none). Text-like colours are corrected against the background where Telegram's own palette falls below
 * AA (its hint grey on white does), and the button's colour against its text.
 */
export function applyTheme(theme: ThemeParams | undefined, scheme: 'light' | 'dark' | undefined): void {
  const root = document.documentElement;
  const bg = parseHex(theme?.bg_color);
  const text = parseHex(theme?.text_color);
  if (!bg || !text) return;
  const dark = scheme ? scheme === 'dark' : luminance(bg) < 0.2;
  root.dataset.theme = dark ? 'dark' : 'light';
  const section = parseHex(theme?.section_bg_color) ?? parseHex(theme?.secondary_bg_color) ?? bg;
  const set = (name: string, c: Rgb | undefined) => c && root.style.setProperty(name, hex(c));
  // Secondary text sits on both the page and the cards: correct it against the harder of the two.
  const harder = (c: Rgb) => (contrast(c, bg) < contrast(c, section) ? bg : section);
  set('--bg', bg);
  set('--text', withContrast(text, harder(text)));
  set('--surface', section);
  set('--surface-2', parseHex(theme?.secondary_bg_color) ?? section);
  const hint = parseHex(theme?.hint_color) ?? parseHex(theme?.subtitle_text_color);
  if (hint) set('--hint', withContrast(hint, harder(hint)));
  const link = parseHex(theme?.link_color) ?? parseHex(theme?.accent_text_color);
  if (link) set('--link', withContrast(link, harder(link)));
  const button = parseHex(theme?.button_color);
  const buttonText = parseHex(theme?.button_text_color) ?? [255, 255, 255];
  if (button) {
    set('--accent', withContrast(button, buttonText));
    set('--accent-text', buttonText);
  }
  const danger = parseHex(theme?.destructive_text_color);
  if (danger) set('--danger', withContrast(danger, harder(danger)));
  root.style.colorScheme = dark ? 'dark' : 'light';
}

// ---- the bottom and back buttons ----

/** Telegram's BackButton, when there is one: shown while `onBack` is set. Returns whether Telegram shows it. */
export function setBackButton(tg: TgWebApp | undefined, onBack: (() => void) | undefined): () => void {
  const button = tg?.BackButton;
  if (!button || !onBack) {
    button?.hide();
    return () => undefined;
  }
  button.onClick(onBack).show();
  return () => button.offClick(onBack).hide();
}

/** Telegram's MainButton with `text`, pressing `onClick`; undefined outside Telegram (the page shows its own). */
export function setMainButton(tg: TgWebApp | undefined, o: { text: string; onClick: () => void; enabled: boolean; busy?: boolean }): (() => void) | undefined {
  const button = tg?.MainButton;
  if (!button) return undefined;
  button.setText(o.text).onClick(o.onClick);
  if (o.enabled) button.enable();
  else button.disable();
  if (o.busy) button.showProgress?.(false);
  else button.hideProgress?.();
  button.show();
  return () => {
    button.offClick(o.onClick).hide();
  };
}
