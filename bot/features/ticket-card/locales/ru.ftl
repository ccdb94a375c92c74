# Карточка обращения и её кнопки (bot/features/ticket-card/), на языке агентов. agent-card уходит с parse_mode HTML.

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
agent-card-replies-in = { $language } (бот отвечает на языке { $locale }: текстов на { $language } нет)
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
