# Knowledge base (bot/features/kb/), Persian. kb-suggest-* are sent with parse_mode HTML: no raw < > &. Agent texts fall back to English (AGENT_LANGUAGE).

## Knowledge base — customer
kb-suggest-header = 💡 شاید این مقاله پاسخ سؤال شما باشد:
kb-suggest-question = آیا مشکل‌تان حل شد؟ اگر نه، یکی از همکاران ما کمک‌تان می‌کند.
kb-button-solved = ✅ حل شد
kb-button-human = 👤 گفتگو با کارشناس
kb-human-reply-routed = حتماً — از این‌جا به بعد یکی از کارشناسان کمکتان می‌کند.
# kb_format = search (آزمایش، experiments/README.md): پرسش‌های مرتبط به شکل دکمه.
kb-search-header = 💡 آیا پرسش شما یکی از این‌هاست؟ روی آن بزنید تا پاسخ را ببینید.
kb-button-none = 👤 هیچ‌کدام — گفتگو با کارشناس
kb-solved-reply = 🎉 خوشحالیم که کمک کرد! درخواست #{ $number } بسته شد. هر وقت به چیز دیگری نیاز داشتید، همین‌جا بنویسید.
kb-human-reply = حتماً — یکی از کارشناسان پیگیری می‌کند. یک سؤال دیگر تا درخواست‌تان به فرد مناسب برسد:
