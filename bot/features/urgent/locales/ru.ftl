# Срочные обращения и эскалация (bot/features/urgent/).

## Срочно — клиенту
urgent-customer = 🚨 Обращение #{ $number } отмечено как срочное: им уже занимается сотрудник, ответ — в течение { $eta }. Никому не сообщайте пароли, коды и данные карты — мы их никогда не спрашиваем.
urgent-escalated-customer = ↗️ Ваше обращение #{ $number } передано эксперту. Мы вернёмся с ответом в течение { $eta }.

## Срочно — агентам
urgent-topic-note = 🚨 Срочно: клиент пишет о «{ $phrase }» — обращение перенесено { $from } → { $queue }. Ответьте в первую очередь.
urgent-escalation-post = 🚨 <b>Срочное обращение</b> { $ticket } · { $queue }
    { $customer } пишет о «{ $phrase }». Первый ответ до { $due }.
urgent-expert-note = 🧠 Обращению #{ $number } нужен эксперт: перенесено в { $queue }, { $agent }. Первый ответ до { $firstDue }.
urgent-auto-escalated-note = ⏱ Обращение #{ $number } вот-вот нарушит срок первого ответа: автоматически перенесено { $from } → { $to }.
urgent-button-expert = 🧠 Нужен эксперт
urgent-card-priority = { $urgent ->
    [yes] 🚨 Срочно ·{" "}
   *[no] {""}
}📋 Очередь: { $position } из { $total }
urgent-sla-next-up = <b>Следующие</b> (срочные › VIP › срок › категория):
urgent-sla-next-line = { $rank }. { $ticket } · { $queue }{ $urgent ->
    [yes] {" "}🚨
   *[no] {""}
} — { $when }
urgent-sla-overdue = просрочено на { $elapsed }
urgent-sla-due-in = срок через { $left }
urgent-sla-nothing = Никто не ждёт.
