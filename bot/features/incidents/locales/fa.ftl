# رخدادها (bot/features/incidents/). inc-msg-*، inc-field-*، inc-known-issue، inc-suspected، inc-examples و inc-usage با parse_mode HTML فرستاده می‌شوند: بدون < > & خام.

## رخدادها — مشتری
inc-known-issue = ⚠️ <b>ما از این مشکل باخبریم: { $title }.</b> تیم ما در حال رفع آن است؛ درخواست #{ $number } شما به آن پیوند خورده است و نیازی به نوشتن دوباره نیست.
inc-field-eta = زمان تقریبی رفع: حدود { $eta } دیگر ({ $at }).
inc-field-eta-unknown = زمان رفع هنوز معلوم نیست — به شما خبر می‌دهیم.
inc-button-notify = 🔔 وقتی رفع شد خبرم کنید
inc-notify-ok = 🔔 به محض رفع مشکل به شما خبر می‌دهیم.
inc-fixed-recently = ✅ <b>مشکلی مانند این را { $ago } پیش برطرف کردیم: { $title }.</b> لطفاً دوباره امتحان کنید. اگر هنوز کار نمی‌کند، همین‌جا پاسخ دهید: درخواست شما به شمارهٔ #{ $number } باز می‌ماند و یک کارشناس کمک می‌کند.
inc-msg-opened = ⚠️ <b>از این مشکل باخبریم: { $title }</b>
inc-msg-updated = 🔄 <b>به‌روزرسانی: { $title }</b>
inc-msg-resolved = ✅ <b>رفع شد: { $title }</b>
inc-field-what = چه اتفاقی افتاد: { $text }
inc-field-who = چه کسانی درگیرند: { $text }
inc-field-next = گام‌های بعدی: { $text }
inc-msg-footer-open = درخواست شما به این مشکل پیوند خورده است: هر خبری شد برایتان می‌نویسیم.
inc-msg-footer-resolved = از صبر شما سپاسگزاریم. اگر هنوز چیزی کار نمی‌کند، همین‌جا پاسخ دهید.
inc-msg-footer-closed = از صبر شما سپاسگزاریم. درخواست شما درباره این مشکل بسته شد؛ اگر هنوز چیزی کار نمی‌کند، برای ما بنویسید.

## رخدادها — کارشناسان
inc-suspected = 🚨 <b>رخداد احتمالی: { $label }</b>
    { $tickets } درخواست از { $customers } مشتری در { $window } گذشته — معمولاً { $baseline } ({ $basis ->
        [weekly] همان روز هفته و ساعت، هفته‌های گذشته
        [recent] میانگین اخیر
       *[none] هنوز سابقه‌ای نیست
    }).
inc-examples = نمونه‌ها:
inc-button-confirm = ✅ تأیید رخداد
inc-button-dismiss = ✖️ رد
inc-confirmed = ✅ تأیید شد توسط { $by }: رخداد #{ $id } باز شد، { $linked } درخواست پیوند خورد.
inc-dismissed = ✖️ رد شد توسط { $by }: تا { $window } هشدار تازه‌ای برای آن نمی‌آید.
inc-decided-already = این رخداد احتمالی قبلاً تأیید یا رد شده است.
inc-opened = 🚨 رخداد #{ $id } باز شد: { $title }. { $linked } درخواست باز پیوند خورد؛ به مشتریانشان اطلاع داده می‌شود.
    زمان: /incident eta 2h (یا 18:30) · متن: /incident text چه شد | چه کسانی | گام بعدی · /incident resolve [--close-tickets]
inc-usage = /incident &lt;عنوان&gt; رخداد باز می‌کند؛ /incident eta &lt;45m | 2h | 18:30&gt;؛ /incident text &lt;چه شد&gt; | &lt;چه کسانی&gt; | &lt;گام بعدی&gt;؛ /incident resolve [--close-tickets]. پیشوند #N رخداد را انتخاب می‌کند.
inc-none-open = رخداد بازی نیست.
inc-already-open = برای این دسته رخدادی باز است.
inc-not-in-topic = رخدادها در گفتگوی ارجاع یا موضوع عمومی مدیریت می‌شوند، نه در موضوع مشتری.
inc-eta-bad = زمان را به صورت مدت (45m، 2h) یا ساعت (18:30) یا "unknown" بدهید.
inc-text-usage = کاربرد: /incident text چه شد | چه کسانی | گام بعدی
inc-eta-set = ⏱ رخداد #{ $id }: زمان { $eta }. { $when ->
        [later] مشتریان پیوندخورده آن را در { $at } دریافت می‌کنند (حداکثر یک بار در { $interval }).
       *[now] اکنون به مشتریان پیوندخورده اطلاع داده می‌شود.
    }
inc-text-set = 📝 رخداد #{ $id } به‌روز شد.
inc-resolved = ✅ رخداد #{ $id } رفع شد: به { $linked } مشتری پیوندخورده اطلاع داده می‌شود{ $closed ->
        [yes] ، و درخواست‌هایشان بسته شد.
       *[no] .
    }
inc-linked-topic = 🔗 به رخداد #{ $id } پیوند خورد: { $title }{ $known ->
        [yes] . مشتری پاسخ «مشکل شناخته‌شده» را دریافت کرد.
       *[no] .
    }
inc-linked-topic-fixed = 🔗 به رخداد #{ $id } پیوند خورد: { $title }، { $ago } پیش برطرف شد. از مشتری خواسته شد دوباره امتحان کند؛ درخواست باز می‌ماند.
inc-unlinked-topic = پیوند با رخداد #{ $id } برداشته شد.
inc-link-usage = در موضوع مشتری: /link <شماره رخداد>، /unlink
inc-link-unknown = رخداد باز #{ $id } وجود ندارد.
inc-not-linked = این درخواست به رخدادی پیوند ندارد.
inc-already-linked = این درخواست قبلاً به آن رخداد پیوند خورده است.
inc-card-line = 🔗 رخداد #{ $id }: { $title }{ $status ->
        [resolved] {" "}(رفع شد)
       *[open] {""}
    }
