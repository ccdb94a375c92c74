# Команды агентов (bot/features/agent-commands/): меню команд, меню «/» в Telegram (menu.ts: строка на каждую команду всех функций), затем ответы на команды.

## Меню команд (меню «/» в Telegram)
cmd-start = О чате поддержки
cmd-status = Состояние обращения
cmd-help = Что умеет этот чат
cmd-language = Сменить язык
cmd-unsubscribe = Отписаться от новостей сервиса
cmd-subscribe = Снова получать новости сервиса
cmd-deletemydata = Удалить мои данные (с подтверждением)
cmd-take = Взять обращение этой темы
cmd-resolve = Закрыть обращение
cmd-reopen = Открыть обращение снова
cmd-note = Внутренняя заметка (клиент её не видит)
cmd-escalate = Перевести обращение в другую очередь
cmd-m = Отправить макрос (/m — список)
cmd-find-kb = Поиск по базе знаний
cmd-broadcast = Рассылка всем клиентам об инциденте
cmd-ban = Больше не пересылать сообщения клиента
cmd-unban = Снова пересылать сообщения клиента
cmd-audit = Последние действия сотрудников (для администраторов): /audit @id или /audit #обращение
cmd-forget = Удалить данные клиента этой темы (для администраторов)

## Ответы на команды
agent-unknown-command =
    { $suggestion ->
        [none] ❓ Неизвестная команда /{ $command }.
       *[other] ❓ Неизвестная команда /{ $command } — может быть, /{ $suggestion }?
    }

    Команды:
    { $commands }
agent-escalated = ⬆️ Обращение #{ $number } перенесено { $from } → { $to }: { $agent }. Новые сроки: первый ответ { $firstDue }, решение { $resolutionDue }.
agent-note-saved = 📌 Заметка сохранена (клиенту не отправлена).
agent-note-usage = Формат: /note <текст>
agent-escalate-usage = Формат: /escalate <очередь>. Очереди: { $queues }
agent-banned = 🚫 Клиент заблокирован: его сообщения больше не пересылаются.
agent-unbanned = ✅ Клиент разблокирован.
