import { describe, expect, it } from 'vitest';
import { isQuiet, nextAllowed, parseQuietHours } from './quiet-hours.js';

describe('quiet hours', () => {
  const overnight = parseQuietHours('22:00-08:00', 'Europe/Moscow'); // UTC+3

  it('knows a window that crosses midnight, in its own time zone', () => {
    expect(isQuiet(overnight, new Date('2026-03-10T19:30:00Z'))).toBe(true); // 22:30 MSK
    expect(isQuiet(overnight, new Date('2026-03-10T04:59:00Z'))).toBe(true); // 07:59 MSK
    expect(isQuiet(overnight, new Date('2026-03-10T05:00:00Z'))).toBe(false); // 08:00 MSK
    expect(isQuiet(overnight, new Date('2026-03-10T12:00:00Z'))).toBe(false);
  });

  it('defers to the end of the window, the next morning when it is evening', () => {
    expect(nextAllowed(overnight, new Date('2026-03-10T20:00:00Z')).toISOString()).toBe('2026-03-11T05:00:00.000Z');
    expect(nextAllowed(overnight, new Date('2026-03-11T01:00:00Z')).toISOString()).toBe('2026-03-11T05:00:00.000Z');
    const noon = new Date('2026-03-11T09:00:00Z');
    expect(nextAllowed(overnight, noon)).toBe(noon);
  });

  it('handles a daytime window and no window', () => {
    const day = parseQuietHours('13:00-14:00', 'UTC');
    expect(isQuiet(day, new Date('2026-03-10T13:30:00Z'))).toBe(true);
    expect(isQuiet(day, new Date('2026-03-10T14:00:00Z'))).toBe(false);
    expect(isQuiet(undefined, new Date())).toBe(false);
  });

  it('rejects malformed windows and zones', () => {
    expect(() => parseQuietHours('22-08', 'UTC')).toThrow(/22:00-08:00/);
    expect(() => parseQuietHours('25:00-08:00', 'UTC')).toThrow(/invalid/);
    expect(() => parseQuietHours('22:00-08:00', 'Mars/Olympus')).toThrow(/unknown/);
  });
});
