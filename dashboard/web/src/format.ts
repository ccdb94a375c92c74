/** Number formatting for tiles, tooltips and tables. */

export const DASH = '—';

export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return DASH;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} m`;
  if (seconds < 86_400) {
    const h = Math.floor(seconds / 3600);
    const m = Math.round((seconds % 3600) / 60);
    return m ? `${h} h ${m} m` : `${h} h`;
  }
  return `${(seconds / 86_400).toFixed(1)} d`;
}

export function pct(x: number | null | undefined, digits = 0): string {
  return x === null || x === undefined ? DASH : `${(x * 100).toFixed(digits)} %`;
}

export function num(x: number | null | undefined, digits = 0): string {
  return x === null || x === undefined ? DASH : x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function signed(x: number | null | undefined): string {
  return x === null || x === undefined ? DASH : `${x > 0 ? '+' : ''}${Math.round(x)}`;
}

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
