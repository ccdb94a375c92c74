# محافظ گفتگوی انجمن (bot/features/community-guard/): کپچا، پیوندهای تازه‌واردها، حساب‌های جعلی، حساب‌های رسمیِ سنجاق‌شده.

## کسانی که به گفتگوی انجمن می‌پیوندند
community-guard-captcha-request = 👋 سلام { $who }! برای پیوستن به گفتگوی انجمن، نشان دهید ربات نیستید: ظرف { $time } روی <b>{ $object }</b> بزنید.
community-guard-captcha-member = 👋 خوش آمدید { $who }! پیش از نوشتن در اینجا، ظرف { $time } روی <b>{ $object }</b> بزنید.
community-guard-object-apple = سیب
community-guard-object-car = ماشین
community-guard-object-cat = گربه
community-guard-object-house = خانه
community-guard-object-star = ستاره
community-guard-object-umbrella = چتر
community-guard-not-yours = این بررسی برای شخص دیگری است — فقط کسی که تازه پیوسته می‌تواند پاسخ دهد.
community-guard-expired = این بررسی به پایان رسیده است.
community-guard-passed-toast = ✅ سپاسگزاریم!
community-guard-wrong-toast = ❌ این تصویر درست نبود.
community-guard-approved = ✅ سپاسگزاریم — درخواست شما پذیرفته شد. به انجمن خوش آمدید!
community-guard-declined-timeout = ⌛️ زمان به پایان رسید و درخواست شما رد شد. هر زمان بخواهید می‌توانید دوباره درخواست دهید.
community-guard-declined-wrong = ❌ این تصویر درست نبود و درخواست شما رد شد. هر زمان بخواهید می‌توانید دوباره درخواست دهید.
community-guard-held = { $who }، پیوندها، رسانه‌ها و پست‌های بازارسال‌شده پس از { $count } پیام برای اعضا باز می‌شوند — پیام شما حذف شد. ابتدا سلام کنید!
community-guard-official = 🛡 حساب‌های رسمی ما: { $accounts }. کارکنان ما هرگز از حساب‌های دیگر به شما پیام نمی‌دهند و هرگز رمز عبور، کد، عبارت بازیابی یا اطلاعات کارت نمی‌خواهند. هر کس دیگری که از نام ما استفاده کند جعلی است.

## گفتگوی ارجاع
community-guard-clone-request = 🎭 <b>حساب احتمالاً جعلی</b> درخواست پیوستن به گفتگوی انجمن داد: { $who } — { $what } { $target }.
community-guard-clone-member = 🎭 <b>حساب احتمالاً جعلی</b> به گفتگوی انجمن پیوست: { $who } — { $what } { $target }.
community-guard-clone-renamed = 🎭 <b>حساب احتمالاً جعلی</b>: یکی از اعضای گفتگوی انجمن نامش را تغییر داد: { $who } — { $what } { $target }.
community-guard-clone-by-username = نام کاربری‌اش شبیه است به
community-guard-clone-by-name = نامش شبیه است به
