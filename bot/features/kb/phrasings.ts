/**
 * How customers actually ask, mapped to the starter article that answers them.
 * Written as people type in a support chat (informal, typos, no article
 * wording), in English, Russian and Persian (the Persian ones as people type
 * them: often without the ZWNJ, sometimes with Arabic ي/ك or Persian digits). Two users: the KB search-quality test measures
 * precision on them, and the simulator sends them so the dashboards show
 * realistic auto-resolution.
 */
export interface Phrasing {
  text: string;
  lang: 'en' | 'ru' | 'fa';
  /** The article id that answers it. */
  article: string;
}

export const KB_PHRASINGS: readonly Phrasing[] = [
  // payment-failed
  { lang: 'en', article: 'payment-failed', text: 'my card keeps getting declined when i try to pay' },
  { lang: 'en', article: 'payment-failed', text: 'Tried to top up 3 times, says transaction failed but the bank charged me' },
  { lang: 'ru', article: 'payment-failed', text: 'не проходит оплата картой, пишет ошибка' },
  { lang: 'ru', article: 'payment-failed', text: 'пытаюсь пополнить счёт, банк отклоняет платёж' },
  // refunds
  { lang: 'en', article: 'refunds', text: 'how do i get my money back for the order i returned?' },
  { lang: 'en', article: 'refunds', text: 'requested a refund a week ago, still nothing on my card' },
  { lang: 'ru', article: 'refunds', text: 'хочу вернуть деньги за заказ' },
  { lang: 'ru', article: 'refunds', text: 'когда придёт возврат? оформила неделю назад' },
  // delivery-status
  { lang: 'en', article: 'delivery-status', text: 'where is my parcel?? ordered 10 days ago' },
  { lang: 'en', article: 'delivery-status', text: 'tracking number not updating, is my package lost' },
  { lang: 'ru', article: 'delivery-status', text: 'где мой заказ, курьер так и не приехал' },
  { lang: 'ru', article: 'delivery-status', text: 'посылка не отслеживается по трек номеру' },
  // account-access
  { lang: 'en', article: 'account-access', text: "can't log in to my account, it says access denied" },
  { lang: 'en', article: 'account-access', text: 'my account got locked after a few attempts to sign in' },
  { lang: 'ru', article: 'account-access', text: 'не могу зайти в аккаунт, пишет что заблокирован' },
  // password-reset
  { lang: 'en', article: 'password-reset', text: 'I forgot my password and the reset email never comes' },
  { lang: 'ru', article: 'password-reset', text: 'забыла пароль, как его восстановить?' },
  { lang: 'ru', article: 'password-reset', text: 'ссылка на сброс пароля не работает' },
  // lost-2fa
  { lang: 'en', article: 'lost-2fa', text: 'got a new phone and lost my google authenticator codes' },
  { lang: 'en', article: 'lost-2fa', text: '2fa code is always wrong' },
  { lang: 'ru', article: 'lost-2fa', text: 'потерял телефон с аутентификатором, не могу ввести код' },
  // kyc-verification
  { lang: 'en', article: 'kyc-verification', text: 'my ID verification got rejected, what is wrong with my passport photo' },
  { lang: 'en', article: 'kyc-verification', text: 'how long does KYC take? uploaded documents yesterday' },
  { lang: 'ru', article: 'kyc-verification', text: 'отклонили верификацию, загрузил паспорт и селфи' },
  // data-deletion
  { lang: 'en', article: 'data-deletion', text: 'please delete all my personal data, I want to close my account' },
  { lang: 'ru', article: 'data-deletion', text: 'удалите мой аккаунт и все данные обо мне' },
  // change-email-phone
  { lang: 'en', article: 'change-email-phone', text: "I changed my phone number, how do I update it? don't have the old sim" },
  { lang: 'ru', article: 'change-email-phone', text: 'как поменять почту в профиле' },
  // cancel-subscription
  { lang: 'en', article: 'cancel-subscription', text: 'how to stop auto renewal, you charged me again this month' },
  { lang: 'ru', article: 'cancel-subscription', text: 'как отключить подписку чтобы больше не списывали' },
  // invoices-receipts
  { lang: 'en', article: 'invoices-receipts', text: 'need an invoice with our company VAT number for accounting' },
  { lang: 'ru', article: 'invoices-receipts', text: 'где скачать чек об оплате для бухгалтерии' },
  // phishing-clones
  { lang: 'en', article: 'phishing-clones', text: 'someone messaged me pretending to be support and asked for my code, is it a scam?' },
  { lang: 'ru', article: 'phishing-clones', text: 'мне написал какой-то бот поддержки и просит сид фразу, это мошенники?' },
  // support-hours
  { lang: 'en', article: 'support-hours', text: 'what are your working hours, when will someone answer' },
  { lang: 'ru', article: 'support-hours', text: 'сколько ждать ответа оператора?' },
  // app-troubleshooting
  { lang: 'en', article: 'app-troubleshooting', text: 'the app crashes every time I open it after the update' },
  { lang: 'ru', article: 'app-troubleshooting', text: 'приложение зависает на белом экране и не загружается' },
  // limits
  { lang: 'en', article: 'limits', text: 'how can I increase my daily transfer limit' },
  { lang: 'ru', article: 'limits', text: 'превышен лимит, как его поднять?' },
  // withdrawal-pending
  { lang: 'en', article: 'withdrawal-pending', text: 'my withdrawal has been pending for 3 days, where is the money' },
  { lang: 'ru', article: 'withdrawal-pending', text: 'вывел деньги на карту, а они так и не пришли' },
  // Harder: indirect wording, no keyword from the title.
  { lang: 'en', article: 'payment-failed', text: 'bank app says the online purchase was rejected, what do i do' },
  { lang: 'en', article: 'withdrawal-pending', text: 'sent money to my bank 2 days ago and it still says processing' },
  { lang: 'en', article: 'account-access', text: 'it keeps saying wrong credentials even though im sure they are right' },
  { lang: 'en', article: 'cancel-subscription', text: 'i dont want to pay for premium anymore' },
  { lang: 'en', article: 'phishing-clones', text: 'got a DM from "support" offering to double my balance' },
  { lang: 'en', article: 'data-deletion', text: 'under GDPR I request a copy of everything you store about me' },
  { lang: 'en', article: 'invoices-receipts', text: 'my accountant needs a pdf of last months payment' },
  { lang: 'ru', article: 'lost-2fa', text: 'сменил смартфон и теперь не приходят коды для входа' },
  { lang: 'ru', article: 'kyc-verification', text: 'сколько проверяют документы? загрузил вчера паспорт' },
  { lang: 'ru', article: 'delivery-status', text: 'курьерская служба потеряла мою посылку' },
  { lang: 'ru', article: 'refunds', text: 'вернул товар в магазин, а деньги на карту так и не пришли' },
  { lang: 'ru', article: 'app-troubleshooting', text: 'после обновления программа сразу закрывается' },
  { lang: 'ru', article: 'limits', text: 'не могу перевести больше тысячи в день, почему?' },
  { lang: 'ru', article: 'support-hours', text: 'вы работаете по выходным?' },
  // Persian
  { lang: 'fa', article: 'password-reset', text: 'رمز عبورم رو فراموش کردم و ایمیل بازیابی نمیاد' },
  { lang: 'fa', article: 'password-reset', text: 'لینک ریست پسورد منقضی شده' },
  { lang: 'fa', article: 'payment-failed', text: 'پرداختم ناموفق بود ولی پول از کارتم کم شد' },
  { lang: 'fa', article: 'payment-failed', text: 'کارتم موقع خرید اینترنتی رد میشه' },
  { lang: 'fa', article: 'refunds', text: 'میخوام پولم رو پس بگیرم، سفارش رو مرجوع کردم' },
  { lang: 'fa', article: 'refunds', text: 'بازپرداخت من کی به حسابم میاد؟' },
  { lang: 'fa', article: 'delivery-status', text: 'سفارشم کجاست؟ ۱۰ روز پیش ثبت کردم' },
  { lang: 'fa', article: 'delivery-status', text: 'کد رهگیری بسته ام به روز نمیشه' },
  { lang: 'fa', article: 'account-access', text: 'نمیتونم وارد حسابم بشم، میگه حساب قفل شده' },
  { lang: 'fa', article: 'account-access', text: 'حساب کاربری من مسدود شده چرا؟' },
  { lang: 'fa', article: 'lost-2fa', text: 'گوشیم گم شده و به گوگل آتنتیکیتور دسترسی ندارم' },
  { lang: 'fa', article: 'lost-2fa', text: 'کد تایید دو مرحله ای همیشه اشتباهه' },
  { lang: 'fa', article: 'data-deletion', text: 'لطفا حساب منو با همه اطلاعات شخصیم حذف کنید' },
  { lang: 'fa', article: 'data-deletion', text: 'چه اطلاعاتی از من نگه میدارید؟ یه نسخه میخوام' },
  { lang: 'fa', article: 'support-hours', text: 'ساعت کاری پشتیبانی چنده؟ کی جواب میدید' },
  { lang: 'fa', article: 'support-hours', text: 'جمعه ها هم جواب میدین؟' },
  { lang: 'fa', article: 'phishing-clones', text: 'یه نفر به اسم پشتیبانی پیام داده و کد منو میخواد، کلاهبرداریه؟' },
  { lang: 'fa', article: 'phishing-clones', text: 'فکر کنم حسابم هک شده، رمزمو به یه ربات جعلی دادم' },
];

/**
 * Written after the keywords were last tuned and never used to tune them: the
 * honest estimate of how the search does on questions nobody anticipated.
 */
export const KB_HOLDOUT: readonly Phrasing[] = [
  { lang: 'en', article: 'refunds', text: 'the shop accepted my return last week, when will i see the money' },
  { lang: 'en', article: 'lost-2fa', text: 'my authenticator app was on the phone that got stolen' },
  { lang: 'en', article: 'change-email-phone', text: 'I no longer use my old gmail, can you switch it to a new address' },
  { lang: 'en', article: 'delivery-status', text: 'the courier marked it delivered but nothing arrived' },
  { lang: 'en', article: 'kyc-verification', text: 'why do you need a selfie with my id?' },
  { lang: 'en', article: 'app-troubleshooting', text: 'screen stays white after i log in on android' },
  { lang: 'ru', article: 'payment-failed', text: 'оплата картой не проходит, пишет отказ банка' },
  { lang: 'ru', article: 'password-reset', text: 'не помню пароль от личного кабинета' },
  { lang: 'ru', article: 'data-deletion', text: 'прошу удалить все мои персональные данные' },
  { lang: 'ru', article: 'withdrawal-pending', text: 'перевод на карту другого банка висит третий день' },
  { lang: 'ru', article: 'phishing-clones', text: 'мне звонили якобы из поддержки и просили код из смс' },
  { lang: 'ru', article: 'invoices-receipts', text: 'нужен счёт на оплату для юрлица' },
  { lang: 'fa', article: 'delivery-status', text: 'پیک گفت تحویل داده ولی چیزی به دستم نرسیده' },
  { lang: 'fa', article: 'password-reset', text: 'پسوردم یادم نمیاد، چطور عوضش کنم؟' },
  { lang: 'fa', article: 'payment-failed', text: 'تراكنش ناموفق شد ولي مبلغ از حسابم كسر شده' },
];

/** Messages that no article answers: the bot must not auto-answer them. */
export const OFF_TOPIC_PHRASINGS: readonly { text: string; lang: 'en' | 'ru' | 'fa' }[] = [
  { lang: 'en', text: 'hi' },
  { lang: 'en', text: 'thanks a lot!' },
  { lang: 'en', text: 'I have an idea for a new feature in your app' },
  { lang: 'en', text: 'your agent was rude to me yesterday' },
  { lang: 'en', text: 'do you have a partnership program for bloggers?' },
  // "contract" is one letter from the keyword "contact support": a typo match alone must not answer.
  { lang: 'en', text: 'hello, I have a question about my contract' },
  { lang: 'ru', text: 'здравствуйте' },
  { lang: 'ru', text: 'спасибо большое' },
  { lang: 'ru', text: 'хочу предложить сотрудничество' },
  { lang: 'ru', text: 'ваш сотрудник мне нагрубил' },
  { lang: 'fa', text: 'سلام' },
  { lang: 'fa', text: 'خیلی ممنون' },
  { lang: 'fa', text: 'برای همکاری تبلیغاتی با کی صحبت کنم؟' },
  { lang: 'fa', text: 'پشتیبان شما دیروز با من بد برخورد کرد' },
];
