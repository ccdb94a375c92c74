# Follow-up and auto-close (bot/features/followups/), Persian. Agent texts fall back to English (AGENT_LANGUAGE).

## Follow-up — customer
fu-question = سلام { $name }! درخواست #{ $number } شما به‌تازگی حل شد. آیا راه‌حل ما کمک کرد؟
fu-button-yes = 👍 بله، کمک کرد
fu-button-no = 👎 نه
fu-thanks = عالی است، ممنون که خبر دادید! 🙌
fu-reopened = متأسفیم. درخواست #{ $number } دوباره باز شد — یکی از کارشناسان همین‌جا پاسخ می‌دهد.
fu-not-offered = ممنون! این سؤال دیگر در دسترس نیست.
autoclose-customer = { $hours } ساعت است که از شما خبری نداریم، برای همین درخواست #{ $number } را بستیم. اگر هنوز کمک لازم دارید، کافی است همین‌جا بنویسید — پیگیری می‌کنیم.
