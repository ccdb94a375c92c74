# Инциденты (bot/features/incidents/). inc-msg-*, inc-field-*, inc-known-issue, inc-fixed-recently, inc-suspected, inc-examples и inc-usage отправляются с parse_mode HTML: без сырых < > &.

## Инциденты — клиент
inc-known-issue = ⚠️ <b>Мы уже знаем об этой проблеме: { $title }.</b> Команда работает над ней; ваше обращение #{ $number } привязано к ней, писать ещё раз не нужно.
inc-field-eta = Ожидаемое исправление: примерно через { $eta } ({ $at }).
inc-field-eta-unknown = Срок исправления пока неизвестен — мы сообщим.
inc-button-notify = 🔔 Сообщить, когда исправят
inc-notify-ok = 🔔 Сообщим, как только исправим.
inc-fixed-recently = ✅ <b>Похожую проблему мы исправили { $ago } назад: { $title }.</b> Пожалуйста, попробуйте ещё раз. Если всё ещё не работает, просто ответьте здесь: ваше обращение №{ $number } остаётся открытым, и оператор поможет.
inc-msg-opened = ⚠️ <b>Мы знаем о проблеме: { $title }</b>
inc-msg-updated = 🔄 <b>Новости: { $title }</b>
inc-msg-resolved = ✅ <b>Исправлено: { $title }</b>
inc-field-what = Что случилось: { $text }
inc-field-who = Кого затронуло: { $text }
inc-field-next = Что дальше: { $text }
inc-msg-footer-open = Ваше обращение привязано к этой проблеме: напишем, когда будут новости.
inc-msg-footer-resolved = Спасибо за терпение. Если что-то всё ещё не работает, просто ответьте здесь.
inc-msg-footer-closed = Спасибо за терпение. Мы закрыли ваше обращение об этом; если что-то всё ещё не работает, просто напишите нам.

## Инциденты — агенты
inc-suspected = 🚨 <b>Похоже на инцидент: { $label }</b>
    { $tickets } обращений от { $customers } клиентов за последние { $window } — обычно { $baseline } ({ $basis ->
        [weekly] тот же день недели и час, прошлые недели
        [recent] среднее за последнее время
       *[none] истории ещё нет
    }).
inc-examples = Примеры:
inc-button-confirm = ✅ Подтвердить инцидент
inc-button-dismiss = ✖️ Отклонить
inc-confirmed = ✅ Подтвердил { $by }: открыт инцидент #{ $id }, привязано обращений: { $linked }.
inc-dismissed = ✖️ Отклонил { $by }: повторного оповещения не будет в течение { $window }.
inc-decided-already = Этот инцидент уже подтверждён или отклонён.
inc-opened = 🚨 Открыт инцидент #{ $id }: { $title }. Привязано открытых обращений: { $linked }; клиентам сообщается.
    Срок: /incident eta 2h (или 18:30) · шаблон: /incident text что случилось | кого затронуло | что дальше · /incident resolve [--close-tickets]
inc-usage = /incident &lt;название&gt; открывает инцидент; /incident eta &lt;45m | 2h | 18:30&gt;; /incident text &lt;что случилось&gt; | &lt;кого затронуло&gt; | &lt;что дальше&gt;; /incident resolve [--close-tickets]. Префикс #N выбирает инцидент, например /incident #3 eta 1h.
inc-none-open = Открытых инцидентов нет.
inc-already-open = Инцидент по этой категории уже открыт.
inc-not-in-topic = Инцидентами управляют в чате эскалаций или в общей теме, не в теме клиента.
inc-eta-bad = Укажите срок длительностью (45m, 2h), временем (18:30) или "unknown".
inc-text-usage = Использование: /incident text что случилось | кого затронуло | что дальше
inc-eta-set = ⏱ Инцидент #{ $id }: срок { $eta }. { $when ->
        [later] Привязанные клиенты получат его в { $at } (не чаще раза в { $interval }).
       *[now] Привязанным клиентам сообщается сейчас.
    }
inc-text-set = 📝 Инцидент #{ $id } обновлён.
inc-resolved = ✅ Инцидент #{ $id } решён: привязанным клиентам ({ $linked }) сообщается{ $closed ->
        [yes] , их обращения закрыты.
       *[no] .
    }
inc-linked-topic = 🔗 Привязано к инциденту #{ $id }: { $title }{ $known ->
        [yes] . Клиент получил ответ «известная проблема».
       *[no] .
    }
inc-linked-topic-fixed = 🔗 Привязано к инциденту #{ $id }: { $title }, решён { $ago } назад. Клиента попросили попробовать ещё раз; обращение остаётся открытым.
inc-unlinked-topic = Отвязано от инцидента #{ $id }.
inc-link-usage = В теме клиента: /link <номер инцидента>, /unlink
inc-link-unknown = Нет открытого инцидента #{ $id }.
inc-not-linked = Это обращение не привязано к инциденту.
inc-already-linked = Это обращение уже привязано к этому инциденту.
inc-card-line = 🔗 Инцидент #{ $id }: { $title }{ $status ->
        [resolved] {" "}(решён)
       *[open] {""}
    }
