/** The stop-word matcher on the shipped phrases: languages, word forms, typos, negation, ignores, and linear cost. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { boundedDistance, normalize, StopWordMatcher, typoBudget, words } from './matcher.js';
import { DEFAULT_STOP_WORDS_FILE, parseStopWords } from './stop-words.js';

const matcher = new StopWordMatcher(parseStopWords(readFileSync(DEFAULT_STOP_WORDS_FILE, 'utf8')));
const queueOf = (text: string) => matcher.match(text)?.queue;

describe('stop words', () => {
  it.each([
    ['My payment failed twice today', 'payments'],
    ['PAYMENT FAILED!!!', 'payments'],
    ['payments have failed again', 'payments'],
    ['I think my account was hacked', 'security'],
    ['someone hacked me', 'security'],
    ['Where do I upload my KYC documents?', 'security'],
    ['this is fraud', 'security'],
    ['money not received after 3 days', 'payments'],
    ['I was charged twice', 'payments'],
    ['Мой аккаунт взломали!', 'security'],
    ['Кажется, взлом аккаунта', 'security'],
    ['платёж не прошёл, что делать', 'payments'],
    ['оплата не прошла', 'payments'],
    ['Деньги так и не пришли', 'payments'],
    ['меня обманули мошенники', 'security'],
    ['حساب من هک شده', 'security'],
    ['پرداخت من ناموفق بود', 'payments'],
    ['پول نرسید', 'payments'],
    ['مشکل احراز هویت دارم', 'security'],
  ])('%s → %s', (text, queue) => expect(queueOf(text)).toBe(queue));

  it('forgives typos within the budget, and only there', () => {
    expect(queueOf('my acount was hakced')).toBe('security'); // "hakced": 1 transposition in 6 letters
    expect(queueOf('secruity issue')).toBe('security');
    expect(queueOf('paymnet faild')).toBe('payments');
    expect(queueOf('unauthroized login')).toBe('security');
    expect(queueOf('kyx')).toBeUndefined(); // 3 letters: exact only
    expect(queueOf('scan this')).toBeUndefined(); // 4 letters: exact only
  });

  it('reads Persian and Arabic letter forms and ZWNJ as the same words', () => {
    expect(normalize('احراز هويت')).toBe(normalize('احراز هویت'));
    expect(queueOf('احراز هويت')).toBe('security'); // Arabic yeh
    expect(queueOf('پرداخت\u200cانجام\u200cنشد')).toBe('payments'); // ZWNJ between words
    expect(queueOf('كلاهبرداری')).toBe('security'); // Arabic kaf
  });

  it('does not fire on ordinary messages', () => {
    for (const text of [
      'my payment went through fine, thanks',
      'hello, I have a question about my contract',
      'security question about my account settings',
      'how do I change my security settings?',
      'my payment did not fail, I just want a receipt',
      'I was not hacked, just forgot my password',
      'вопрос по настройкам безопасности',
      'как изменить контрольный вопрос',
      'سوال امنیتی حسابم را عوض کنم',
      'where is the delivery',
    ])
      expect(queueOf(text), text).toBeUndefined();
  });

  it('still fires when an ignored phrase sits elsewhere in the message', () => {
    expect(queueOf('I changed my security question and then the account was hacked')).toBe('security');
    expect(queueOf('security question: ok. But now a security breach!')).toBe('security');
  });

  it('bounds the edit distance', () => {
    expect(boundedDistance('security', 'secruity', 1)).toBe(1);
    expect(boundedDistance('chargeback', 'chrgebak', 2)).toBe(2);
    expect(boundedDistance('payment', 'pay', 1)).toBe(2);
    expect(typoBudget(4)).toBe(0);
    expect(typoBudget(5)).toBe(1);
    expect(typoBudget(9)).toBe(2);
  });

  it('does work linear in the message on adversarial input (distinct near-miss words, repeated partial phrases)', () => {
    const work = (n: number) => {
      // distinct words one typo from a phrase word (no memo help), then partial phrases and ignored spans
      const text = Array.from({ length: n }, (_, i) => `paymen${String.fromCharCode(97 + (i % 26))}${i} payment security question`).join(' ');
      const w = { comparisons: 0, steps: 0 };
      expect(matcher.match(text, w)).toBeUndefined();
      return w.comparisons + w.steps;
    };
    const small = work(100);
    const large = work(400); // 4× the words (1,600 < MAX_WORDS)
    expect(large / small).toBeLessThan(4.5);
    expect(words('a '.repeat(10_000)).length).toBe(2000); // cut at MAX_WORDS
    expect(matcher.match(`${'x'.repeat(100_000)} hacked`)?.queue).toBe('security'); // a very long word is cut, not compared whole
  });
});
