/**
 * Clones of the desk's accounts among people joining the community chat: a display name or username that reads
 * like an official account's, the bot's or an agent's once the usual disguises are undone — case, accents,
 * look-alike letters of other scripts (Cyrillic а о е р с у х…, Greek ο α ε…), digits for letters (0 → o, 1 → l,
 * 3 → e, 4 → a, 5 → s), "rn" for "m", "vv" for "w", and separators (_ . - spaces, zero-width characters).
 *
 * Both sides are reduced to a skeleton and compared: equal, one edit apart (skeletons of 6+ letters), or — for
 * an account's username (5+ letters) — contained in the other ("acme_support_help"). Pure; no I/O.
 */
import { boundedDistance } from '../urgent/matcher.js';

/** Look-alikes → the Latin letter they imitate (lowercase; applied after NFKD and lowercasing). */
const HOMOGLYPHS: Record<string, string> = {
  // Cyrillic
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'l',
  ї: 'l',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ӏ: 'l',
  // Greek
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'l',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  // Latin look-alikes and digits
  ı: 'l',
  ɡ: 'g',
  i: 'l',
  '|': 'l',
  '0': 'o',
  '1': 'l',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '@': 'a',
  $: 's',
};

/** The skeleton two confusable strings share. */
export function skeleton(s: string): string {
  const base = s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  let out = '';
  for (const ch of base) {
    if (/[\s_.\-·'’`"\u200b-\u200f\u2060\ufeff]/u.test(ch)) continue;
    out += HOMOGLYPHS[ch] ?? ch;
  }
  return out.replace(/rn/g, 'm').replace(/vv/g, 'w');
}

export interface CloneTargets {
  /** Usernames without the @: the official accounts, the bot. */
  usernames: readonly string[];
  /** Display names: the bot's, the agents' (as the desk records them). */
  names: readonly string[];
}

export interface CloneMatch {
  /** What of the person looked like one of ours. */
  reason: 'username' | 'name';
  /** Which of ours (as configured: a username with @, or a name). */
  target: string;
}

const close = (a: string, b: string) => a === b || (Math.min(a.length, b.length) >= 6 && boundedDistance(a, b, 1) <= 1);

/** The first of ours the person's username or display name imitates; undefined for none (or for one of ours itself). */
export function cloneOf(person: { username?: string | undefined; name: string }, targets: CloneTargets): CloneMatch | undefined {
  const own = person.username?.toLowerCase();
  if (own && targets.usernames.some((u) => u.replace(/^@/, '').toLowerCase() === own)) return undefined;
  const u = person.username ? skeleton(person.username) : '';
  const n = skeleton(person.name);
  for (const raw of targets.usernames) {
    const t = skeleton(raw.replace(/^@/, ''));
    if (t.length < 4) continue;
    const contains = (x: string) => t.length >= 5 && x.includes(t);
    if (u && (close(u, t) || contains(u))) return { reason: 'username', target: `@${raw.replace(/^@/, '')}` };
    if (n && (close(n, t) || contains(n))) return { reason: 'name', target: `@${raw.replace(/^@/, '')}` };
  }
  for (const raw of targets.names) {
    const t = skeleton(raw);
    if (t.length < 5) continue;
    if (n && close(n, t)) return { reason: 'name', target: raw };
    if (u && close(u, t)) return { reason: 'username', target: raw };
  }
  return undefined;
}
