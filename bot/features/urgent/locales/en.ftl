# Urgent requests and escalation (bot/features/urgent/).

## Urgent — customer
urgent-customer = 🚨 Ticket #{ $number } is marked urgent: a person from our team is on it and will answer within { $eta }. Please don't share passwords, codes or card details with anyone — we never ask for them.
urgent-escalated-customer = ↗️ Your request #{ $number } was moved to an expert. We'll come back to you within { $eta }.

## Urgent — agents
urgent-topic-note = 🚨 Urgent: the customer wrote about “{ $phrase }” — ticket moved { $from } → { $queue }. Answer first.
urgent-escalation-post = 🚨 <b>Urgent ticket</b> { $ticket } · { $queue }
    { $customer } wrote about “{ $phrase }”. First response due { $due }.
urgent-expert-note = 🧠 Ticket #{ $number } needs an expert: moved to { $queue } by { $agent }. First response due { $firstDue }.
urgent-auto-escalated-note = ⏱ Ticket #{ $number } was about to miss its first-response deadline: moved { $from } → { $to } automatically.
urgent-button-expert = 🧠 Needs expert
urgent-card-priority = { $urgent ->
    [yes] 🚨 Urgent ·{" "}
   *[no] {""}
}📋 Next up: { $position } of { $total }
urgent-sla-next-up = <b>Next up</b> (urgent › VIP › deadline › category):
urgent-sla-next-line = { $rank }. { $ticket } · { $queue }{ $urgent ->
    [yes] {" "}🚨
   *[no] {""}
} — { $when }
urgent-sla-overdue = overdue { $elapsed }
urgent-sla-due-in = due in { $left }
urgent-sla-nothing = Nothing waiting.
