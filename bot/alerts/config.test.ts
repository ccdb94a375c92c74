import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/env.js';
import { loadAlertsConfig } from './config.js';

describe('ESCALATION_THREAD_ID', () => {
  it('1 (the General topic, which Telegram refuses as a thread) is a configuration error at load', () => {
    let error: unknown;
    try {
      loadAlertsConfig({ ESCALATION_THREAD_ID: '1' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe('ESCALATION_THREAD_ID');
    expect((error as ConfigError).message).toMatch(
      /^Invalid configuration: ESCALATION_THREAD_ID is 1, the General topic: .*message thread not found.*unset ESCALATION_THREAD_ID to post in General/,
    );
  });

  it('a real topic, or none (General), loads', () => {
    expect(loadAlertsConfig({ ESCALATION_THREAD_ID: '42' }).ESCALATION_THREAD_ID).toBe(42);
    expect(loadAlertsConfig({}).ESCALATION_THREAD_ID).toBeUndefined();
  });
});
