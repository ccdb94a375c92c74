/** Every escalation-chat text exists in every language the desk ships. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ftlKeys, keysUsedIn } from '../../test/helpers/ftl.js';

const ALERTS = fileURLToPath(new URL('.', import.meta.url));
const KEY = /^(alert|sla|digest)-[a-z0-9-]+$/;

describe('alerts.ftl', () => {
  const en = ftlKeys('en', 'alerts.ftl');
  const ru = ftlKeys('ru', 'alerts.ftl');

  it('has the same keys in English and Russian', () => {
    expect([...ru.keys()].sort()).toEqual([...en.keys()].sort());
  });

  it('has every key the alerts code uses', () => {
    const used = keysUsedIn(ALERTS, KEY);
    expect(used.size).toBeGreaterThan(30);
    expect([...used].filter((k) => !en.has(k))).toEqual([]);
  });
});
