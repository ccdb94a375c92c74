# Рассылки (bot/features/broadcasts/). bc-header*, bc-footer и bc-preview* уходят с parse_mode HTML: без < > &.

## Рассылки — клиент
bc-header = 📣 Новости сервиса
bc-header-urgent = 🚨 Важное сообщение о работе сервиса
bc-footer = Вы получаете новости сервиса от поддержки. /unsubscribe — отписаться.
bc-unsubscribed = Вы больше не будете получать новости сервиса. /subscribe — снова подписаться. Чат поддержки работает как обычно.
bc-subscribed = Вы снова будете получать новости сервиса. /unsubscribe — отписаться.

## Рассылки — агенты
bc-usage = Как пользоваться: /broadcast <текст> или /broadcast --urgent <текст>, чтобы отправить и в тихие часы. Отправляйте из общей темы (General).
bc-too-long = В рассылке { $length } символов; в одно сообщение с заголовком и подписью помещается не больше { $max }.
bc-not-in-topic = Рассылки отправляются из общей темы (или служебной), а не из темы клиента.
bc-preview = 📣 Рассылка #{ $id }, предпросмотр — получателей: { $recipients }, отписались: { $optedOut }. { $urgent ->
        [yes] 🚨 Срочная.
       *[no] Не срочная.
    }
bc-preview-quiet = 🌙 Сейчас тихие часы: несрочная рассылка начнётся, когда они закончатся.
bc-button-confirm = ✅ Подтвердить
bc-button-cancel = ✖️ Отменить
bc-button-urgent-on = 🚨 Срочная: да
bc-button-urgent-off = 🚨 Срочная: нет
bc-not-draft = Эта рассылка уже подтверждена или отменена.
bc-cancelled = ✖️ Рассылка #{ $id } отменена.
bc-scheduled = 🌙 Рассылка #{ $id } начнётся в { $when }, когда закончатся тихие часы.
bc-starting = 📣 Рассылка #{ $id } начинается…
bc-progress = 📣 Рассылка #{ $id }: отправлено { $sent } из { $total } — доставлено { $delivered }, ошибок { $failed }.
bc-done = ✅ Рассылка #{ $id } завершена: доставлено { $delivered }, ошибок { $failed } из { $total }; отписались: { $optedOut }.
