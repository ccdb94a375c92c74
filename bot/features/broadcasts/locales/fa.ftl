# Broadcasts (bot/features/broadcasts/), Persian. bc-header*, bc-footer are sent with parse_mode HTML: no raw < > &. Agent texts fall back to English (AGENT_LANGUAGE).

## Broadcasts — customer
bc-header = 📣 اطلاعیه سرویس
bc-header-urgent = 🚨 اطلاعیه مهم سرویس
bc-footer = شما اطلاعیه‌های سرویس را از پشتیبانی دریافت می‌کنید. برای لغو: /unsubscribe
bc-unsubscribed = از این پس اطلاعیه‌های سرویس را دریافت نمی‌کنید. با /subscribe دوباره فعال می‌شوند. گفتگوی پشتیبانی شما مثل همیشه کار می‌کند.
bc-subscribed = از این پس دوباره اطلاعیه‌های سرویس را دریافت می‌کنید. با /unsubscribe غیرفعال می‌شوند.
