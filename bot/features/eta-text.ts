/** A duration in words for customers ("about 25 min", "около 2 ч"), through Intl via luxon. */
import { Duration } from 'luxon';

export function formatEta(seconds: number, locale: string): string {
  const minutes = Math.max(1, Math.round(seconds / 60));
  const d = minutes < 90
    ? Duration.fromObject({ minutes })
    : minutes < 48 * 60
      ? Duration.fromObject({ hours: Math.round(minutes / 60) })
      : Duration.fromObject({ days: Math.round(minutes / 1440) });
  const text = d.reconfigure({ locale }).toHuman({ unitDisplay: 'long' });
  // Templates say "через {eta}" (accusative); Intl gives the nominative, which differs only for "минута".
  return locale === 'ru' ? text.replace(/минута$/, 'минуту') : text;
}
