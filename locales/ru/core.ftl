# Общие тексты стола (bot/): стороны клиента и агентов, отказы, длительности. Каждая функция держит свои в bot/features/<функция>/locales/<язык>.ftl.

## Клиент
category-prompt = О чём ваш вопрос?
category-payment = 💳 Оплата
category-account = 👤 Аккаунт
category-features = ✨ Возможности
category-complaint = 😞 Жалоба
category-ideas = 💡 Идеи
ticket-resolved-customer = 🏁 Обращение #{ $number } решено. Если что-то ещё не так — просто напишите, мы откроем новое.
# Решение одной сводкой (эксперимент на поверхности notifications, вариант summary: experiments/README.md).
ticket-resolved-summary =
    🏁 Обращение #{ $number } решено. Коротко:
    • очередь: { $queue }
    • первый ответ: { $answered ->
        [none] не понадобился
       *[other] через { $answered }
    }
    • решено: через { $solved } после вашего сообщения
    Если что-то ещё не так, просто напишите сюда — мы откроем новое обращение.
ticket-reopened-customer = Обращение #{ $number } снова открыто, специалист вернётся к вам.
duration-minutes = { $m } мин
duration-hours = { $h } ч
duration-hours-minutes = { $h } ч { $m } мин
duration-days = { $d } д { $h } ч

## Агенты
agent-taken = 📝 { $agent } взял(а) обращение #{ $number }.
agent-resolved = 🏁 Обращение #{ $number } решено: { $agent }.
agent-reopened = ↩️ Обращение #{ $number } снова открыто: { $agent }.
agent-no-ticket = В этой теме нет обращения.
agent-customer-blocked = ⚠️ Клиент заблокировал бота: сообщения не доставляются, пока он снова не напишет.
agent-customer-unblocked = ✅ Клиент разблокировал бота.
agent-uncopyable = ⚠️ Клиент отправил сообщение типа { $kind }, которое нельзя показать здесь.
agent-relay-resent = ↻ Отправлено повторно после перезапуска: сообщение выше может оказаться здесь дважды.
agent-relay-resent-reply = ↻ Ответ выше отправлен повторно после перезапуска: клиент может увидеть его дважды.

## Отказы машины состояний обращения (bot/error-boundary.ts): агентам в группе поддержки, клиентам в их чате
desk-error-ticket-resolved = Обращение уже решено.
desk-error-ticket-already-resolved = Обращение уже решено.
desk-error-ticket-not-resolved = Обращение не решено.
desk-error-customer-has-open-ticket = У клиента уже есть другое открытое обращение.
desk-error-unknown-queue = Неизвестная очередь «{ $queue }». Очереди: { $queues }
desk-error-same-queue = Обращение уже в очереди { $queue }.
desk-error-ticket-not-found = Обращение не найдено.
desk-error-category-already-set = Тема обращения уже выбрана.
desk-error-unknown-category = Неизвестная тема.
desk-error-role-agent = Это могут только агенты группы поддержки (участники без ограничений).
desk-error-role-team_lead = Это может только тимлид.
desk-error-role-admin = Это может только администратор.
desk-error-broadcast-second-lead = Ждём второго тимлида: срочную рассылку всем клиентам должен подтвердить другой тимлид кнопкой «Срочно».

## Журнал действий сотрудников (bot/audit.ts): /audit, для администраторов
audit-usage = Использование: /audit, /audit @<id пользователя> или /audit #<обращение>.
audit-empty = Действий сотрудников пока нет.
audit-header = 🧾 Последние действия сотрудников ({ $count }), сначала новые:
audit-not-in-topic = /audit работает в общей теме или в чате эскалаций, не в теме клиента.
