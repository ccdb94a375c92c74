# Мини-приложение (bot/features/miniapp/): кнопки и сообщения, открывающие приложение клиента.

miniapp-menu-button = Поддержка
miniapp-track-status = 📍 Статус обращения
miniapp-open = 📱 Открыть приложение
miniapp-open-ticket = Обращение #{ $number } — статус, срок ответа и вся переписка в приложении:
miniapp-open-article = Статья в справочном центре:
miniapp-open-new = Новое обращение — с подсказками из справочного центра, пока вы пишете:
miniapp-settings = Ваши настройки: язык, часовой пояс, тихие часы, уведомления и ваши данные.
miniapp-settings-chat = В этом чате: /language меняет язык, /unsubscribe и /subscribe отключают и включают новости сервиса.
miniapp-no-ticket = Обращения #{ $number } здесь нет. /status покажет ваше последнее.
miniapp-no-article = Этой статьи больше нет в справочном центре. Напишите вопрос сюда — мы ответим.

# Агентам (AGENT_LANGUAGE), в теме.
miniapp-agent-reopened = 🔄 Клиент снова открыл #{ $number } в приложении.
