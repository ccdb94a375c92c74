/** Agents' replies that ask a customer for a secret (held) and the ones that merely mention it (sent). */
import { describe, expect, it } from 'vitest';
import { type AskedSecret, asksForSecret } from './requests.js';

const asks: Array<[string, AskedSecret]> = [
  ['Send me your password and I will check', 'password'],
  ['Hi! Please, what’s the code from SMS?', 'code'],
  ["What is your 2FA code? I'll log in for you", 'code'],
  ['Can you tell me the CVV on the back of the card?', 'cvv'],
  ['To restore the wallet, share your seed phrase with us', 'seed_phrase'],
  ['Type your recovery phrase here, all 24 words', 'seed_phrase'],
  ['Пришлите код', 'code'],
  ['Не переживайте, продиктуйте код из СМС', 'code'],
  ['Скажите пароль от личного кабинета', 'password'],
  ['Для проверки пришлите сид-фразу', 'seed_phrase'],
  ['Напишите код безопасности с обратной стороны карты', 'cvv'],
  ['لطفا کد تایید را بفرستید', 'code'],
  ['رمز عبور خود را ارسال کنید', 'password'],
  ['عبارت بازیابی کیف پول را بگویید', 'seed_phrase'],
];

const fine: string[] = [
  'Never share your password or the code from SMS with anyone, including us.',
  'We will send you a new code by SMS in a minute.',
  'Please enter the code from SMS in the app, then tap Continue.',
  'Send me a screenshot of the error, please.',
  'What is the error code on the screen?',
  'Send me your order number, please.',
  'Никому не сообщайте код из СМС, даже нам.',
  'Мы отправили код на ваш номер, введите его в приложении.',
  'Пришлите, пожалуйста, номер заказа.',
  'رمز خود را به هیچ کس ندهید.',
  'کد سفارش را بفرستید',
  'Reset your password in Settings → Security.',
];

describe('asksForSecret', () => {
  it.each(asks)('asks: %s', (text, kind) => {
    expect(asksForSecret(text)).toBe(kind);
  });
  it.each(fine)('fine: %s', (text) => {
    expect(asksForSecret(text)).toBeUndefined();
  });
});
