# The command menus (bot/features/agent-commands/menu.ts), Persian: the customers' "/" menu. The agents' menu and replies follow AGENT_LANGUAGE and fall back to English.

## Command menus (Telegram's "/" menu) — customer
cmd-start = درباره این گفتگوی پشتیبانی
cmd-status = وضعیت درخواست شما
cmd-help = این گفتگو چه کارهایی انجام می‌دهد
cmd-language = تغییر زبان
cmd-settings = تنظیمات شما (زبان، منطقه زمانی، اعلان‌ها)
cmd-unsubscribe = توقف اطلاعیه‌های سرویس
cmd-subscribe = دریافت دوباره اطلاعیه‌های سرویس
cmd-deletemydata = حذف داده‌های من (با تأیید)
