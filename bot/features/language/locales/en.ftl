# Language (bot/features/language/).

## Language
lang-choose = Choose your language:
lang-set = ✅ Language: { $language }
