# Макросы (bot/features/macros/). macro-sent и macro-list-header уходят с parse_mode HTML: без < > &.

## Макросы — агенты
macro-list-header = Макросы — отправьте командой /m имя в теме клиента (⏳ — ждём ответа клиента):
macro-unknown = Макроса «{ $name }» нет. Список — /m.
macro-not-in-topic = Макросы отправляются из темы клиента.
macro-sent = 📎 Макрос { $name } ({ $lang }) отправлен клиенту:
