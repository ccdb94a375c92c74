/** The masking on its own: realistic messages in en, ru and fa, with and without secrets, and their exact masks. */
import { describe, expect, it } from 'vitest';
import { maskSecrets, type SecretKind } from './mask.js';

const SEED_12 = 'army van defense carry jealous true garbage claim echo media make crunch';
const SEED_24 = `${SEED_12} hat stove lamp shadow grace crazy swift kiwi lens canvas nature rabbit`;

const cases: Array<[string, string, string, SecretKind[]]> = [
  // ---- cards
  ['card with spaces', 'My card is 4111 1111 1111 1111, it was charged twice', 'My card is •••• 1111, it was charged twice', ['card']],
  ['card with dashes', 'карта 5500-0000-0000-0004, деньги списались два раза', 'карта •••• 0004, деньги списались два раза', ['card']],
  ['card in one piece, 13 digits', 'old visa 4222222222222 still works?', 'old visa •••• 2222 still works?', ['card']],
  ['card in Persian digits', 'شماره کارتم ۶۰۳۷ ۹۹۷۵ ۹۹۱۹ ۹۰۴۰ است', 'شماره کارتم •••• ۹۰۴۰ است', ['card']],
  ['card then CVV', 'card 4111111111111111 cvv 123 exp 12/27', 'card •••• 1111 cvv ••• exp 12/27', ['card', 'cvv']],
  ['Luhn-invalid number left alone', 'my card 4111 1111 1111 1112 does not work', 'my card 4111 1111 1111 1112 does not work', []],
  ['order number with #', 'Where is order #12345678? Paid on Monday.', 'Where is order #12345678? Paid on Monday.', []],
  ['order number, Luhn-invalid', 'order 4000123412341235 has not arrived', 'order 4000123412341235 has not arrived', []],
  ['order number, Luhn-valid, after "order"', 'order 4000123412341234 has not arrived', 'order 4000123412341234 has not arrived', []],
  ['order number in ru', 'Номер заказа 2200123456789019, где посылка?', 'Номер заказа 2200123456789019, где посылка?', []],
  ['phone number en', 'Call me at +1 415 555 2671 or +44 20 7946 0958', 'Call me at +1 415 555 2671 or +44 20 7946 0958', []],
  ['phone number ru', 'Мой телефон +7 916 123-45-67, звоните после 18:00', 'Мой телефон +7 916 123-45-67, звоните после 18:00', []],
  ['phone number fa', 'شماره من ۰۹۱۲۳۴۵۶۷۸۹ است', 'شماره من ۰۹۱۲۳۴۵۶۷۸۹ است', []],
  // ---- CVV
  ['CVV in ru', 'код безопасности: 321', 'код безопасности: •••', ['cvv']],
  ['CVV2 in fa', 'کد cvv2 کارتم ۴۵۶ هست', 'کد cvv2 کارتم ••• هست', ['cvv']],
  // ---- codes
  ['SMS code en', 'the code from SMS is 482913, what now?', 'the code from SMS is ••••••, what now?', ['code']],
  ['code with a space', 'Verification code: 123 456', 'Verification code: ••••••', ['code']],
  ['SMS code ru', 'Пришёл код 5521, что с ним делать?', 'Пришёл код ••••••, что с ним делать?', ['code']],
  ['code fa in Persian digits', 'کد تایید ۸۸۳۱۲۰ برام اومد', 'کد تایید •••••• برام اومد', ['code']],
  ['a code with too few digits is not a code', 'error code 42 again', 'error code 42 again', []],
  // ---- passwords
  ['password en', 'login: anna@example.com password: Hunter2!x', 'login: anna@example.com password: ••••••••', ['password']],
  ['password ru', 'Пароль от почты: qwerty123. Не могу войти', 'Пароль от почты: ••••••••. Не могу войти', ['password']],
  ['password fa', 'رمز عبور: Sara1370 ولی وارد نمیشه', 'رمز عبور: •••••••• ولی وارد نمیشه', ['password']],
  ['no password after "password"', 'I forgot my password, how do I reset it?', 'I forgot my password, how do I reset it?', []],
  // ---- seed phrases
  ['seed phrase, 12 words', `I lost access to my wallet. Seed: ${SEED_12}`, 'I lost access to my wallet. Seed: •••• (12 words)', ['seed_phrase']],
  [
    'seed phrase, 24 words, numbered',
    `сид-фраза:\n${SEED_24.split(' ')
      .map((w, i) => `${i + 1}. ${w}`)
      .join('\n')}\nпомогите`,
    'сид-фраза:\n1. •••• (24 words)\nпомогите',
    ['seed_phrase'],
  ],
  ['seed phrase fa', `عبارت بازیابی من: ${SEED_12.toUpperCase()}`, 'عبارت بازیابی من: •••• (12 words)', ['seed_phrase']],
  [
    'ordinary English is no seed phrase',
    'Please help, I can not access my account since the last update, what should I do about it?',
    'Please help, I can not access my account since the last update, what should I do about it?',
    [],
  ],
  ['eleven list words are no seed phrase', SEED_12.split(' ').slice(0, 11).join(' '), SEED_12.split(' ').slice(0, 11).join(' '), []],
  // ---- several
  [
    'everything at once',
    'card 5500 0000 0000 0004 cvc 999, code 7731, password: p@ss',
    'card •••• 0004 cvc •••, code ••••••, password: ••••••••',
    ['card', 'cvv', 'code', 'password'],
  ],
];

describe('maskSecrets', () => {
  it.each(cases)('%s', (_name, input, text, kinds) => {
    expect(maskSecrets(input)).toEqual({ text, kinds });
  });

  it('has 20+ cases in en, ru and fa', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  // One left-to-right scan, no backtracking regex: adversarial texts of Telegram's longest size come back
  // (a catastrophic pattern would hang here until the test times out). Speed itself is a benchmark's business.
  it("masks adversarial texts of Telegram's longest size", () => {
    for (const unit of ['1 ', '1-', 'code: ', 'password ', 'abandon ', '4111-', 'код безопасности ', '۱ ', 'x']) {
      const s = unit.repeat(Math.ceil(4096 / unit.length));
      const { text, kinds } = maskSecrets(s);
      expect(typeof text).toBe('string');
      expect(text.length).toBeGreaterThan(0);
      expect(Array.isArray(kinds)).toBe(true);
    }
  });
});
