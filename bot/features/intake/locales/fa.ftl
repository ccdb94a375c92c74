# The customer intake (bot/features/intake/), Persian. Keys missing here fall back to English.

# The receipt's "steps" variant (experiment surface receipt, experiments/README.md).
ticket-receipt-steps =
    ✅ درخواست #{ $number } ثبت شد. مراحل بعدی:
    1️⃣ پیام شما اکنون در دست تیم پشتیبانی است (صف { $queue }).
    2️⃣ یک کارشناس همین‌جا در این گفتگو پاسخ می‌دهد — { $busy ->
        [yes] اکنون سرمان شلوغ‌تر از معمول است؛ حدوداً ظرف { $eta } پاسخ می‌دهیم.
       *[no] معمولاً ظرف { $eta }.
    }
    3️⃣ اگر جزئیات بیشتری لازم باشد، همین‌جا می‌پرسند: کافی است در همین گفتگو پاسخ دهید.
    4️⃣ وقتی مشکل حل شد، پیام کوتاهی دریافت می‌کنید و می‌توانید به کمک ما امتیاز دهید.
    /status وضعیت درخواست شما را در هر زمان نشان می‌دهد.
