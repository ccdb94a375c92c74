/** /language, end to end through the sandbox. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeatureHarness, type FeatureHarness } from '../../../test/bot/feature-harness.js';

let h: FeatureHarness;
beforeAll(async () => {
  h = await startFeatureHarness();
});
afterAll(async () => h?.close());

describe('/language', () => {
  it('switches the bot to the chosen language for every later message, stored on the customer', async () => {
    await h.client.sendCustomerMessage(6001, { text: '/language', first_name: 'Olga', language_code: 'en' });
    const choose = await h.client.waitForCustomerMessage(6001, 'Choose your language:');
    expect(choose.buttons?.flat()).toEqual(['🇬🇧 English', '🇮🇷 فارسی', '🇷🇺 Русский']);
    await h.client.pressCustomerButton(6001, '🇷🇺 Русский');
    await h.client.waitForCustomerMessage(6001, '✅ Язык: 🇷🇺 Русский');
    const c = (await h.db.query<{ language_code: string }>('SELECT language_code FROM customers WHERE id = 6001')).rows[0]!;
    expect(c.language_code).toBe('ru');

    // Telegram still says "en": the stored choice wins, for features and the desk alike.
    await h.client.sendCustomerMessage(6001, { text: '/unsubscribe', language_code: 'en' });
    await h.client.waitForCustomerMessage(6001, 'Вы больше не будете получать новости сервиса');
    await h.client.sendCustomerMessage(6001, { text: 'здравствуйте, есть вопрос', language_code: 'en' });
    const receipt = await h.client.waitForCustomerMessage(6001, /#\d+/, { after: choose.message_id + 2 });
    expect(receipt.text).toMatch(/[А-Яа-я]/);

    await h.client.sendCustomerMessage(6001, { text: '/language' });
    await h.client.waitForCustomerMessage(6001, 'Выберите язык:');
    await h.client.pressCustomerButton(6001, '🇬🇧 English');
    await h.client.waitForCustomerMessage(6001, '✅ Language: 🇬🇧 English');
  });

  it('speaks Persian once a customer picks فارسی: the menu, the receipt and the help', async () => {
    await h.client.sendCustomerMessage(6002, { text: '/language', first_name: 'Sara', language_code: 'en' });
    await h.client.waitForCustomerMessage(6002, 'Choose your language:');
    await h.client.pressCustomerButton(6002, '🇮🇷 فارسی');
    await h.client.waitForCustomerMessage(6002, '✅ زبان: 🇮🇷 فارسی');
    await h.client.sendCustomerMessage(6002, { text: '/help', language_code: 'en' });
    await h.client.waitForCustomerMessage(6002, /این‌جا گفتگوی پشتیبانی است/);
    await h.client.sendCustomerMessage(6002, { text: 'سلام، یک سؤال درباره همکاری تبلیغاتی دارم', language_code: 'en' });
    await h.client.waitForCustomerMessage(6002, /سؤال شما درباره چیست؟/);
    const fa = await h.desk.services.api.getMyCommands({ scope: { type: 'all_private_chats' }, language_code: 'fa' });
    expect(fa.find((c) => c.command === 'language')?.description).toBe('تغییر زبان');
  });

  it('publishes the command menus: customers per language, agents in the support group', async () => {
    const api = h.desk.services.api;
    const ru = await api.getMyCommands({ scope: { type: 'all_private_chats' }, language_code: 'ru' });
    expect(ru.map((c) => c.command)).toEqual([
      'start',
      'status',
      'help',
      'language',
      'settings',
      'unsubscribe',
      'subscribe',
      'deletemydata',
      'official',
      'reportfake',
      'withdraw',
    ]);
    expect(ru.find((c) => c.command === 'language')?.description).toBe('Сменить язык');
    const agents = await api.getMyCommands({ scope: { type: 'chat', chat_id: h.config.supportChatId } });
    expect(agents.map((c) => c.command)).toEqual(expect.arrayContaining(['m', 'find_kb', 'broadcast', 'resolve']));
  });
});
