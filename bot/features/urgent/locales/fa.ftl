# درخواست‌های فوری و ارجاع (bot/features/urgent/).

## فوری — مشتری
urgent-customer = 🚨 درخواست #{ $number } فوری علامت خورد: یکی از همکاران ما در حال رسیدگی است و تا { $eta } پاسخ می‌دهد. رمز عبور، کدها یا اطلاعات کارت را با هیچ‌کس در میان نگذارید — ما هرگز آن‌ها را نمی‌خواهیم.
urgent-escalated-customer = ↗️ درخواست شما #{ $number } به یک کارشناس ارجاع شد. تا { $eta } به شما پاسخ می‌دهیم.

## فوری — کارشناسان
urgent-topic-note = 🚨 فوری: مشتری درباره «{ $phrase }» نوشته است — درخواست از { $from } به { $queue } منتقل شد. اول به این پاسخ دهید.
urgent-escalation-post = 🚨 <b>درخواست فوری</b> { $ticket } · { $queue }
    { $customer } درباره «{ $phrase }» نوشته است. مهلت اولین پاسخ: { $due }.
urgent-expert-note = 🧠 درخواست #{ $number } به کارشناس نیاز دارد: { $agent } آن را به { $queue } منتقل کرد. مهلت اولین پاسخ: { $firstDue }.
urgent-auto-escalated-note = ⏱ مهلت اولین پاسخ درخواست #{ $number } نزدیک بود از دست برود: به‌طور خودکار از { $from } به { $to } منتقل شد.
urgent-button-expert = 🧠 نیاز به کارشناس
urgent-card-priority = { $urgent ->
    [yes] 🚨 فوری ·{" "}
   *[no] {""}
}📋 نوبت: { $position } از { $total }
urgent-sla-next-up = <b>نوبت‌های بعدی</b> (فوری › VIP › مهلت › دسته):
urgent-sla-next-line = { $rank }. { $ticket } · { $queue }{ $urgent ->
    [yes] {" "}🚨
   *[no] {""}
} — { $when }
urgent-sla-overdue = { $elapsed } دیرتر از مهلت
urgent-sla-due-in = مهلت تا { $left }
urgent-sla-nothing = کسی منتظر نیست.
