# Ratings (bot/features/ratings/), Persian. Agent texts fall back to English (AGENT_LANGUAGE).

## Ratings — customer
rate-csat-question = به کمک ما در درخواست #{ $number } چه امتیازی می‌دهید؟ ۱ — خیلی بد، ۵ — عالی.
rate-nps-question = یک سؤال دیگر: چقدر احتمال دارد ما را به یک دوست پیشنهاد کنید؟ ۰ — اصلاً، ۱۰ — حتماً.
rate-your-answer = پاسخ شما: { $score }. با زدن عدد دیگری می‌توانید آن را تغییر دهید.
rate-recorded = ممنون! پاسخ شما: { $score }
rate-changed = به‌روز شد: { $score }
rate-thanks-high = برای امتیاز { $score } ممنونیم! خوشحالیم که توانستیم کمک کنیم.
rate-thanks-low = ممنون از صداقت‌تان — متأسفیم که بهتر نبود. می‌خواهید یکی از اعضای تیم در این باره با شما تماس بگیرد؟
rate-button-followup = 🙋 بله، لطفاً با من تماس بگیرید
rate-followup-requested = انجام شد — یکی از کارشناسان در همین گفتگو به شما پاسخ می‌دهد.
rate-nps-thanks-promoter = ممنونیم، این برای ما خیلی ارزشمند است! 💙
rate-nps-thanks-passive = ممنون! تلاش می‌کنیم تا امتیاز ۱۰ را به دست بیاوریم.
rate-nps-thanks-detractor = ممنون از پاسخ صادقانه. اگر بگویید چه چیزی را باید بهتر کنیم، به تیم منتقل می‌کنیم.
rate-not-offered = ممنون! این نظرسنجی دیگر در دسترس نیست.
