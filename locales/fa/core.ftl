# Texts the desk shares (bot/), Persian: what customers read. Agent-side texts (support group, escalation chat, /audit) are not translated here: they follow AGENT_LANGUAGE and fall back to English.

## Customer side
category-prompt = سؤال شما درباره چیست؟
category-payment = 💳 پرداخت
category-account = 👤 حساب کاربری
category-features = ✨ امکانات
category-complaint = 😞 شکایت
category-ideas = 💡 پیشنهاد
ticket-resolved-customer = 🏁 درخواست #{ $number } حل شد. اگر هنوز مشکلی هست، کافی است همین‌جا بنویسید — درخواست تازه‌ای باز می‌کنیم.
# حل درخواست در یک خلاصه (آزمایش روی سطح notifications، نسخهٔ summary: experiments/README.md).
ticket-resolved-summary =
    🏁 درخواست #{ $number } حل شد. به طور خلاصه:
    • صف: { $queue }
    • نخستین پاسخ: { $answered ->
        [none] لازم نشد
       *[other] پس از { $answered }
    }
    • حل شد: { $solved } پس از پیام شما
    اگر هنوز مشکلی هست، کافی است همین‌جا بنویسید — درخواست تازه‌ای باز می‌کنیم.
ticket-reopened-customer = درخواست #{ $number } دوباره باز شد؛ یکی از کارشناسان به شما پاسخ می‌دهد.
duration-minutes = { $m } دقیقه
duration-hours = { $h } ساعت
duration-hours-minutes = { $h } ساعت و { $m } دقیقه
duration-days = { $d } روز و { $h } ساعت

## Refusals of the ticket state machine that customers can meet in their chat
desk-error-ticket-resolved = این درخواست قبلاً حل شده است.
desk-error-ticket-already-resolved = این درخواست قبلاً حل شده است.
desk-error-ticket-not-resolved = این درخواست هنوز حل نشده است.
desk-error-customer-has-open-ticket = شما هم‌اکنون یک درخواست باز دیگر دارید.
desk-error-ticket-not-found = درخواست پیدا نشد.
desk-error-category-already-set = موضوع این درخواست قبلاً انتخاب شده است.
desk-error-unknown-category = موضوع ناشناخته است.
desk-error-unknown-queue = صف ناشناخته «{ $queue }». صف‌ها: { $queues }
desk-error-same-queue = این درخواست هم‌اکنون در { $queue } است.
desk-error-role-agent = فقط کارشناسان گروه پشتیبانی می‌توانند این کار را انجام دهند.
desk-error-role-team_lead = فقط سرپرست تیم می‌تواند این کار را انجام دهد.
desk-error-role-admin = فقط مدیر می‌تواند این کار را انجام دهد.
desk-error-broadcast-second-lead = در انتظار سرپرست دوم: اطلاعیه فوری به همه مشتریان باید با تأیید سرپرست دیگری ارسال شود.
