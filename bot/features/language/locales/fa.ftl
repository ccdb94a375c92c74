# Language (bot/features/language/), Persian.

## Language
lang-choose = زبان خود را انتخاب کنید:
lang-set = ✅ زبان: { $language }
