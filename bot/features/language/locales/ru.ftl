# Язык (bot/features/language/).

## Язык
lang-choose = Выберите язык:
lang-set = ✅ Язык: { $language }
