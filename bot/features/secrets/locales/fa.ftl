# Secrets in chats (bot/features/secrets/), Persian. Agent texts fall back to English (AGENT_LANGUAGE).

## Secrets — customer
secrets-customer-warning = 🔒 پیام شما شامل شماره کارت، کد، رمز عبور یا عبارت بازیابی بود. آن را از کارشناس پنهان کردیم — لطفاً این‌ها را هرگز برای هیچ‌کس، حتی ما، نفرستید: ما هرگز آن‌ها را از شما نمی‌خواهیم.
