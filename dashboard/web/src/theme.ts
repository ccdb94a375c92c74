/** Light/dark: follows prefers-color-scheme until the user picks one with the toggle (remembered). */

const KEY = 'analytics-theme';
type Theme = 'light' | 'dark';
const listeners: (() => void)[] = [];
const media = matchMedia('(prefers-color-scheme: dark)');

export function currentTheme(): Theme {
  return (document.documentElement.dataset.theme as Theme | undefined) ?? 'light';
}

function apply(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  for (const l of listeners) l();
}

export function initTheme(): void {
  const saved = localStorage.getItem(KEY) as Theme | null;
  apply(saved ?? (media.matches ? 'dark' : 'light'));
  media.addEventListener('change', () => {
    if (!localStorage.getItem(KEY)) apply(media.matches ? 'dark' : 'light');
  });
}

export function toggleTheme(): void {
  const next: Theme = currentTheme() === 'dark' ? 'light' : 'dark';
  localStorage.setItem(KEY, next);
  apply(next);
}

export function onThemeChange(fn: () => void): void {
  listeners.push(fn);
}

/** The CSS custom properties charts draw with. */
export function palette() {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string) => css.getPropertyValue(name).trim();
  return {
    text: v('--text'),
    muted: v('--muted'),
    grid: v('--grid'),
    surface: v('--surface'),
    border: v('--border'),
    series: [v('--series-1'), v('--series-2'), v('--series-3'), v('--series-4')],
    good: v('--good'),
    warn: v('--warn'),
    bad: v('--bad'),
    heat: [v('--heat-0'), v('--heat-1')],
  };
}
