## Чат эскалаций (bot/alerts): алерты, /sla, ежедневная сводка — на AGENT_LANGUAGE.

alert-duration-seconds = { $s } с
alert-duration-minutes = { $m } мин
alert-duration-hours = { $h } ч { $mm } мин
alert-duration-days = { $d } д { $h } ч
alert-duration-whole-hours = { $h } ч

## Названия алертов из prometheus/rules
alert-FirstResponseSlaBreached = Нарушен SLA первого ответа
alert-FirstResponseSlaImminent = SLA первого ответа вот-вот будет нарушен
alert-ResolutionSlaBreached = Нарушен SLA решения
alert-ResolutionSlaImminent = Скоро будет нарушен SLA решения
alert-FirstResponseP90AboveTarget = P90 времени первого ответа выше цели
alert-CsatBelowTarget = CSAT ниже цели
alert-QueueEtaAboveTarget = Очередь отвечает медленнее цели по первому ответу
alert-DeskDown = Служба поддержки недоступна
alert-SlaExporterFailing = Мониторинг SLA не может прочитать данные
alert-IngestLagHigh = Загрузка аналитики отстаёт
alert-DeadLettersGrowing = События уходят в dead-letter
alert-OutboxStuck = Outbox застрял
alert-SuspectedIncidentUnacknowledged = Подозрение на инцидент без ответа
alert-TelegramErrors = Ошибки Telegram API
alert-BotUpdateErrors = Ошибки обработки обновлений бота

## Сообщения алертов
alert-queue = очередь <b>{ $queue }</b>
alert-customer = клиент { $id }
## Время в сообщении абсолютное (оно висит в чате часами); пояс назван один раз, в «Активно с».
alert-due-at = срок { $due }
alert-waiting-since = ждёт с { $since }
alert-overdue-since = просрочено с { $due }
## Заголовки, посчитанные по тикетам в списке под ними
alert-count-first-response-breached = { $count ->
    [one] { $count } тикет ждёт дольше срока первого ответа.
    [few] { $count } тикета ждут дольше срока первого ответа.
    [many] { $count } тикетов ждут дольше срока первого ответа.
   *[other] { $count } тикета ждут дольше срока первого ответа.
}
alert-count-first-response-imminent = { $count ->
    [one] { $count } тикет вот-вот пропустит срок первого ответа.
    [few] { $count } тикета вот-вот пропустят срок первого ответа.
    [many] { $count } тикетов вот-вот пропустят срок первого ответа.
   *[other] { $count } тикета вот-вот пропустят срок первого ответа.
}
alert-count-resolution-imminent = { $count ->
    [one] { $count } открытый тикет скоро пропустит срок решения.
    [few] { $count } открытых тикета скоро пропустят срок решения.
    [many] { $count } открытых тикетов скоро пропустят срок решения.
   *[other] { $count } открытого тикета скоро пропустят срок решения.
}
alert-count-resolution-breached = { $count ->
    [one] { $count } открытый тикет не решён в срок.
    [few] { $count } открытых тикета не решены в срок.
    [many] { $count } открытых тикетов не решены в срок.
   *[other] { $count } открытого тикета не решены в срок.
}
alert-not-listed = { $count ->
    [one] …и ещё { $count } тикет
    [few] …и ещё { $count } тикета
    [many] …и ещё { $count } тикетов
   *[other] …и ещё { $count } тикета
}
alert-assigned = назначен
alert-assigned-to = назначен: { $agent }
alert-no-tickets = Подходящих тикетов сейчас нет (на них ответили после срабатывания).
alert-firing-since = Активно с { $since }
alert-fired-again = сработало снова ({ $count }×)
alert-take = Взять #{ $id }
alert-mute = 🔕 Заглушить { $queue } на { $duration }
alert-more-tickets = { $count ->
    [one] ещё { $count } тикет
    [few] ещё { $count } тикета
    [many] ещё { $count } тикетов
   *[other] ещё { $count } тикета
}
alert-resolved-title = ✅ <b>Решено</b> · { $title }
alert-resolved-tickets = Тикеты: { $ids }
alert-resolved-followup = ✅ Решено: { $title } за { $duration }.
alert-resolved-followup-queue = ✅ Решено: { $title } в { $queue } за { $duration }.
alert-refired-below = 🔁 Сработало снова в { $time }: <a href="{ $link }">см. новое сообщение</a>

## Кнопки под алертами
alert-take-failed = Не удалось взять #{ $id }: { $why }.
alert-take-why-not-found = такого тикета нет
alert-take-why-resolved = он уже решён
alert-take-done = Тикет #{ $id } теперь ваш.
alert-taken-by = 🙋 #{ $id } взял(а) { $name }.
alert-muted-answer = { $queue } заглушена на { $duration }.
alert-muted-notice = 🔕 Алерты очереди <b>{ $queue }</b> заглушены до { $until } ({ $name }). Они по-прежнему записываются; /sla показывает текущее состояние.
alert-unmute = 🔔 Включить { $queue }
alert-unmuted-answer = Алерты { $queue } снова включены.
alert-unmuted-notice = 🔔 Алерты очереди <b>{ $queue }</b> снова публикуются: включил(а) { $name } в { $time }.

## /sla
sla-title = <b>SLA сейчас</b> · { $time }
sla-queue-open = { $flag } <b>{ $queue }</b>: открыто { $open }
sla-oldest-waiting = , дольше всех ждёт { $wait }
sla-counts = нарушено { $breached } · срок ≤ 5 мин { $soon } · решение просрочено { $late }
sla-frt = FRT P50 { $p50 } / P90 { $p90 } ({ $count } за 1 ч)
sla-no-frt = первых ответов за 1 ч не было
sla-muted-until = 🔕 заглушено до { $until }
sla-firing = Активны: { $alerts }

## Ежедневная сводка
digest-title = 📊 <b>Сводка за день</b> · { $date }
digest-tickets = Тикеты: открыто <b>{ $opened }</b>, решено { $resolved }
digest-frt = FRT: P50 <b>{ $p50 }</b> · P90 <b>{ $p90 }</b>
digest-csat = CSAT: <b>{ $avg }</b>/5 (оценок: { $ratings }) · NPS: <b>{ $nps }</b> ({ $npsResponses })
digest-sla = SLA выполнен: первый ответ { $first } · решение { $resolution }
digest-per-queue = <b>По очередям</b> (тикеты · FRT P90 · SLA первого ответа)
digest-top-categories = <b>Главные категории</b>
digest-per-agent = <b>По агентам</b> (тикеты · FRT P90 · CSAT)
digest-agent-unnamed = агент { $id }
digest-longest-waits = <b>Дольше всех ждали</b>
digest-still-unanswered = , ответа всё ещё нет
digest-no-tickets = <i>Вчера тикетов не было.</i>

# /experiments (bot/alerts/experiments-command.ts)
experiments-header = 🧪 <b>Эксперименты</b>
experiments-none = Действующих файлов экспериментов нет (EXPERIMENTS_DIR).
experiments-shipped = остановлен, выбран вариант: { $variant }
experiments-customers = Клиентов в эксперименте: { $total } ({ $split })
experiments-srm = ⚠️ Перекос выборки (p { $p }): распределение не совпадает с весами — результатам нельзя доверять.
experiments-result = { $metric }, { $variant } против control: { $value } против { $baseline } ({ $diff }, { $rel }; 95 % ДИ { $low } … { $high }), p { $p }, последовательный p { $seq }
experiments-insufficient = { $metric }, { $variant }: пока мало данных ({ $reason })
experiments-power = Сейчас заметен эффект от { $mde } %; для изменения на { $target } % нужно ещё около { $days } дн.
experiments-power-reached = Сейчас заметен эффект от { $mde } % — запланированная выборка набрана.
experiments-problems = ⚠️ <b>Пропущенные файлы</b> (остальные работают):
