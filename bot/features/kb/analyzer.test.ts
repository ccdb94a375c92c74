/** The KB's language analysis: script-based detection (fa, ru, en) and the Persian normaliser and stemmer. */
import { describe, expect, it } from 'vitest';
import { detectLanguage, normalizePersian, stemPersian, termProcessor } from './analyzer.js';

describe('detectLanguage', () => {
  it('tells Persian, Russian and English apart by script', () => {
    expect(detectLanguage('رمز عبورم را فراموش کردم')).toBe('fa');
    expect(detectLanguage('پرداخت چطور؟ گوشی ژاکت')).toBe('fa');
    expect(detectLanguage('забыл пароль')).toBe('ru');
    expect(detectLanguage('forgot my password')).toBe('en');
    // Arabic letter forms are Persian too (the one Arabic-script language of the KB).
    expect(detectLanguage('تراكنش ناموفق')).toBe('fa');
    // Mixed: the script with most letters; product terms in Latin do not turn Persian into English.
    expect(detectLanguage('کد 2FA من کار نمی‌کند')).toBe('fa');
    expect(detectLanguage('my KYC status: وضعیت')).toBe('en');
    expect(detectLanguage('۱۲۳ 456 !?')).toBeUndefined();
  });
});

describe('Persian analysis', () => {
  it('normalises Arabic letter forms, diacritics, tatweel and digits', () => {
    expect(normalizePersian('كارت')).toBe('کارت');
    expect(normalizePersian('ولي')).toBe('ولی');
    expect(normalizePersian('مَبلَغ')).toBe('مبلغ');
    expect(normalizePersian('پـــرداخت')).toBe('پرداخت');
    expect(normalizePersian('۱۰ و ١٠')).toBe('10 و 10');
    expect(normalizePersian('تأیید')).toBe('تایید');
  });

  it('strips plural, possessive and ZWNJ-joined affixes, the same with or without the ZWNJ', () => {
    expect(stemPersian('کارت‌ها')).toBe('کارت');
    expect(stemPersian('کارتها')).toBe('کارت');
    expect(stemPersian('حساب‌هایم')).toBe('حساب');
    expect(stemPersian('حسابم')).toBe('حساب');
    expect(stemPersian('می‌خواهم')).toBe(stemPersian('خواهم'));
    expect(stemPersian('کدها')).toBe('کد');
    expect(stemPersian('شخصیم')).toBe('شخص');
    expect(stemPersian('کلاهبرداریه')).toBe(stemPersian('کلاهبرداری'));
    // Short words keep their letters, and a lone ت is no suffix: کارت (card) is not کار (work).
    expect(stemPersian('پیک')).toBe('پیک');
    expect(stemPersian('کارت')).toBe('کارت');
  });

  it('drops Persian stop words and chat filler and gives index and query the same terms', () => {
    const fa = termProcessor('fa');
    for (const w of ['از', 'به', 'سلام', 'لطفا', 'من', 'است']) expect(fa(w), w).toBeNull();
    expect(fa('تراكنش‌ها')).toBe(fa('تراکنش'));
    expect(fa('ي')).toBeNull();
  });
});
