# Общие тексты стола (bot/): стороны клиента и агентов, отказы, длительности. Каждая функция держит свои в bot/features/<функция>/locales/<язык>.ftl.

## Клиент
start-welcome =
    👋 Здравствуйте, { $name }! Это чат поддержки.

    Просто напишите вопрос — можно текстом, скриншотами, файлами или голосом. Первое сообщение открывает обращение с номером; специалист ответит прямо здесь, обычно за несколько минут.

    🔒 Сотрудники никогда не просят пароли, коды подтверждения, seed-фразы или данные карты (CVV). Никому их не сообщайте, даже если вам пишут «от нас».

    /status — состояние обращения
ticket-receipt =
    ✅ Обращение #{ $number } создано. Очередь: { $queue }. { $busy ->
        [yes] Сейчас обращений больше обычного: ответим примерно в течение { $eta }. Спасибо за терпение.
       *[no] Обычно отвечаем в течение { $eta }.
    }
ticket-routed =
    Спасибо! Обращение #{ $number } в очереди { $queue }. { $busy ->
        [yes] Сейчас обращений больше обычного: ответим примерно в течение { $eta }. Спасибо за терпение.
       *[no] Обычно отвечаем в течение { $eta }.
    }
category-prompt = О чём ваш вопрос?
category-chosen = Тема: { $category }
category-payment = 💳 Оплата
category-account = 👤 Аккаунт
category-features = ✨ Возможности
category-complaint = 😞 Жалоба
category-ideas = 💡 Идеи
help-customer =
    ℹ️ Это чат поддержки. Напишите вопрос здесь — можно текстом, скриншотами, файлами или голосом. Первое сообщение открывает обращение, и специалист поддержки ответит прямо в этом чате.

    /status — состояние обращения
    /language — сменить язык
    /help — эта справка

    Чтобы связаться с человеком, просто опишите, что случилось: каждое сообщение попадает к нашим специалистам.
help-unknown-command = Извините, такой команды я не знаю.
status-none = У вас пока нет обращений. Просто напишите вопрос — мы его откроем.
status-open =
    Обращение #{ $number }: { $status }
    Очередь: { $queue }
    { $eta ->
        [none] Специалист уже ответил.
       *[other] Ожидаемое время ответа: { $eta }.
    }
status-resolved = Обращение #{ $number } решено. Напишите в любой момент, чтобы открыть новое.
ticket-status-new = получено
ticket-status-waiting_agent = ждёт специалиста
ticket-status-in_progress = специалист работает
ticket-status-waiting_customer = ждём вашего ответа
ticket-status-resolved = решено
ticket-resolved-customer = 🏁 Обращение #{ $number } решено. Если что-то ещё не так — просто напишите, мы откроем новое.
ticket-reopened-customer = Обращение #{ $number } снова открыто, специалист вернётся к вам.
duration-minutes = { $m } мин
duration-hours = { $h } ч
duration-hours-minutes = { $h } ч { $m } мин
duration-days = { $d } д { $h } ч

## Агенты
agent-card =
    🎫 <b>Обращение #{ $number }</b>
    👤 { $customer }{ $username }, id <code>{ $customerId }</code>
    🌐 Язык: { $language }
    📂 Очередь: <b>{ $queue }</b> · Категория: { $category }
    ⏱ Первый ответ до: { $firstDue }
    🎯 Решение до: { $resolutionDue }{ $calendar }
    🧑‍💼 Специалист: { $agent }
    🗂 Прошлые обращения: { $history }{ $held }
agent-card-none = —
agent-card-repeat = 🔁 повторное обращение
agent-card-held = 📎 Задержано от нового клиента: { $count } — в теме не показано, пока не выпустите.
agent-card-stale = Эта карточка устарела: пользуйтесь последней карточкой обращения #{ $number }.
agent-button-take = 📝 Взять
agent-button-resolve = 🏁 Решено
agent-button-reopen = ↩️ Открыть снова
agent-button-release = 📎 Показать задержанное ({ $count })
agent-released-held = 📎 { $agent } { $count ->
        [1] показал(а) задержанное сообщение
       *[other] показал(а) задержанные сообщения: { $count }
    }.
agent-unknown-command =
    { $suggestion ->
        [none] ❓ Неизвестная команда /{ $command }.
       *[other] ❓ Неизвестная команда /{ $command } — может быть, /{ $suggestion }?
    }

    Команды:
    { $commands }
agent-taken = 📝 { $agent } взял(а) обращение #{ $number }.
agent-resolved = 🏁 Обращение #{ $number } решено: { $agent }.
agent-reopened = ↩️ Обращение #{ $number } снова открыто: { $agent }.
agent-escalated = ⬆️ Обращение #{ $number } перенесено { $from } → { $to }: { $agent }. Новые сроки: первый ответ { $firstDue }, решение { $resolutionDue }.
agent-category = 📂 Клиент выбрал { $category }; очередь { $queue }.
agent-note-saved = 📌 Заметка сохранена (клиенту не отправлена).
agent-note-usage = Формат: /note <текст>
agent-escalate-usage = Формат: /escalate <очередь>. Очереди: { $queues }
agent-banned = 🚫 Клиент заблокирован: его сообщения больше не пересылаются.
agent-unbanned = ✅ Клиент разблокирован.
agent-no-ticket = В этой теме нет обращения.
agent-customer-blocked = ⚠️ Клиент заблокировал бота: сообщения не доставляются, пока он снова не напишет.
agent-customer-unblocked = ✅ Клиент разблокировал бота.
agent-uncopyable = ⚠️ Клиент отправил сообщение типа { $kind }, которое нельзя показать здесь.

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
