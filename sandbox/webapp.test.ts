/** Mini Apps in the sandbox: menu buttons recorded and checked, web_app buttons checked, a customer's signed launch. */
import { describe, expect, it } from 'vitest';
import { validateInitData } from '../core/telegram-webapp.js';
import { SANDBOX_TOKEN } from './identities.js';
import { useSandbox } from './test-helpers.js';

const fx = useSandbox();
const CUSTOMER = 3101;

describe('Mini Apps in the sandbox', () => {
  it('records the default and a chat menu button, and refuses a web_app URL Telegram would refuse', async () => {
    const api = fx.bot.api;
    await fx.client.sendCustomerMessage(CUSTOMER, { text: 'hi', first_name: 'Lena', language_code: 'ru' });
    expect(await api.getChatMenuButton()).toEqual({ type: 'commands' });
    await api.setChatMenuButton({ menu_button: { type: 'web_app', text: 'Support', web_app: { url: 'https://desk.example.com/app/' } } });
    expect(await api.getChatMenuButton({ chat_id: CUSTOMER })).toMatchObject({ type: 'web_app', web_app: { url: 'https://desk.example.com/app/' } });
    await api.setChatMenuButton({
      chat_id: CUSTOMER,
      menu_button: { type: 'web_app', text: 'Поддержка', web_app: { url: 'https://desk.example.com/app/?l=ru' } },
    });
    expect(await api.getChatMenuButton({ chat_id: CUSTOMER })).toMatchObject({ text: 'Поддержка' });
    await expect(api.setChatMenuButton({ menu_button: { type: 'web_app', text: 'x', web_app: { url: 'http://desk.example.com/app/' } } })).rejects.toThrow(
      /Only HTTPS links are allowed/,
    );
    // The sandbox's one allowance: http:// on a loopback host (the demo's local server).
    await api.setChatMenuButton({ menu_button: { type: 'web_app', text: 'Local', web_app: { url: 'http://127.0.0.1:3000/app/' } } });
  });

  it('checks web_app buttons in inline keyboards', async () => {
    await fx.client.sendCustomerMessage(CUSTOMER, { text: 'hello' });
    await fx.bot.api.sendMessage(CUSTOMER, 'ok', {
      reply_markup: { inline_keyboard: [[{ text: 'Open', web_app: { url: 'https://desk.example.com/app/' } }]] },
    });
    const last = (await fx.client.getCustomerMessages(CUSTOMER)).at(-1)!;
    expect(last.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Open', web_app: { url: 'https://desk.example.com/app/' } }]] });
    await expect(
      fx.bot.api.sendMessage(CUSTOMER, 'no', { reply_markup: { inline_keyboard: [[{ text: 'Open', web_app: { url: 'ftp://x' } }]] } }),
    ).rejects.toThrow(/Web App URL/);
  });

  it("signs a customer's launch data with the bot's token, and opens the menu button's URL with #tgWebAppData", async () => {
    await fx.client.sendCustomerMessage(CUSTOMER, { text: 'hi', first_name: 'Lena', language_code: 'ru' });
    await fx.bot.api.setChatMenuButton({
      chat_id: CUSTOMER,
      menu_button: { type: 'web_app', text: 'Поддержка', web_app: { url: 'https://desk.example.com/app/?l=ru' } },
    });
    const launch = await fx.client.openWebApp(CUSTOMER, { start_param: 'ticket-7' });
    const checked = validateInitData(launch.init_data, SANDBOX_TOKEN, { maxAgeSeconds: 60 });
    expect(checked).toMatchObject({ ok: true, data: { user: { id: CUSTOMER, first_name: 'Lena', language_code: 'ru' }, start_param: 'ticket-7' } });
    expect(launch.url).toMatch(/^https:\/\/desk\.example\.com\/app\/\?l=ru#tgWebAppData=/);
    const hash = new URLSearchParams(new URL(launch.url!).hash.slice(1));
    expect(hash.get('tgWebAppData')).toBe(launch.init_data);
    expect(hash.get('tgWebAppStartParam')).toBe('ticket-7');
    // Someone who never wrote can open it too (the menu button is there before the first message).
    expect((await fx.client.openWebApp(3999, { url: 'http://127.0.0.1:9/app/' })).url).toMatch(/^http:\/\/127\.0\.0\.1:9\/app\/#tgWebAppData=/);
  });
});
