# مینی‌اپ (bot/features/miniapp/): دکمه‌ها و پیام‌هایی که برنامهٔ مشتری را باز می‌کنند.

miniapp-menu-button = پشتیبانی
miniapp-track-status = 📍 پیگیری وضعیت
miniapp-open = 📱 باز کردن برنامه
miniapp-open-ticket = درخواست #{ $number } — وضعیت، زمان تقریبی پاسخ و کل گفتگو در برنامه است:
miniapp-open-article = این مقاله در مرکز راهنما است:
miniapp-open-new = درخواست جدید — همراه با پاسخ‌های مرکز راهنما هنگام نوشتن:
miniapp-settings = تنظیمات شما: زبان، منطقهٔ زمانی، ساعات سکوت، اعلان‌ها و داده‌های شما.
miniapp-settings-chat = در همین گفتگو: ‎/language‎ زبان را تغییر می‌دهد، ‎/unsubscribe‎ و ‎/subscribe‎ اخبار سرویس را خاموش و روشن می‌کنند.
miniapp-no-ticket = درخواست #{ $number } اینجا نیست. ‎/status‎ آخرین درخواست شما را نشان می‌دهد.
miniapp-no-article = این مقاله دیگر در مرکز راهنما نیست. سؤال خود را همین‌جا بنویسید تا پاسخ دهیم.

# برای کارشناسان (AGENT_LANGUAGE)، در تاپیک.
miniapp-agent-reopened = 🔄 مشتری درخواست #{ $number } را در برنامه دوباره باز کرد.
