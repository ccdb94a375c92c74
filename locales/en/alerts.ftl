## Escalation chat (bot/alerts): alerts, /sla, the daily digest — in AGENT_LANGUAGE.
## Numbers shown as they are (ids, counts) come in as text; only $count selects plurals.

alert-duration-seconds = { $s } s
alert-duration-minutes = { $m } min
alert-duration-hours = { $h } h { $mm } min
alert-duration-days = { $d } d { $h } h
alert-duration-whole-hours = { $h } h

## Titles of the alerts in prometheus/rules
alert-FirstResponseSlaBreached = First-response SLA breached
alert-FirstResponseSlaImminent = First-response SLA breach imminent
alert-ResolutionSlaBreached = Resolution SLA breached
alert-ResolutionSlaImminent = Resolution SLA breach coming
alert-FirstResponseP90AboveTarget = First-response time P90 above target
alert-CsatBelowTarget = CSAT below target
alert-QueueEtaAboveTarget = Queue slower than its first-response target
alert-DeskDown = Support desk not reachable
alert-SlaExporterFailing = SLA monitoring cannot read its data
alert-IngestLagHigh = Analytics ingest lagging
alert-DeadLettersGrowing = Events dead-lettered
alert-OutboxStuck = Outbox stuck
alert-SuspectedIncidentUnacknowledged = Suspected incident not acknowledged
alert-TelegramErrors = Telegram API errors
alert-BotUpdateErrors = Bot update errors

## Alert messages
alert-queue = queue <b>{ $queue }</b>
alert-customer = customer { $id }
## Times in a message are absolute (it stays in the chat for hours); the zone is named once, in "Firing since".
alert-due-at = due { $due }
alert-waiting-since = waiting since { $since }
alert-overdue-since = overdue since { $due }
## Headers counted from the tickets listed under them
alert-count-first-response-breached = { $count ->
    [one] { $count } ticket waits past its first-response deadline.
   *[other] { $count } tickets wait past their first-response deadline.
}
alert-count-first-response-imminent = { $count ->
    [one] { $count } ticket is about to miss its first-response deadline.
   *[other] { $count } tickets are about to miss their first-response deadline.
}
alert-count-resolution-imminent = { $count ->
    [one] { $count } open ticket is near its resolution deadline.
   *[other] { $count } open tickets are near their resolution deadline.
}
alert-count-resolution-breached = { $count ->
    [one] { $count } open ticket is past its resolution deadline.
   *[other] { $count } open tickets are past their resolution deadline.
}
alert-not-listed = { $count ->
    [one] …and { $count } more ticket
   *[other] …and { $count } more tickets
}
alert-assigned = assigned
alert-assigned-to = assigned to { $agent }
alert-no-tickets = No matching tickets right now (answered since the alert fired).
alert-firing-since = Firing since { $since }
alert-fired-again = fired again ({ $count }×)
alert-take = Take #{ $id }
alert-mute = 🔕 Mute { $queue } { $duration }
alert-more-tickets = { $count ->
    [one] one more ticket
   *[other] { $count } more tickets
}
alert-resolved-title = ✅ <b>Resolved</b> · { $title }
alert-resolved-tickets = Tickets: { $ids }
alert-resolved-followup = ✅ Resolved: { $title } after { $duration }.
alert-resolved-followup-queue = ✅ Resolved: { $title } in { $queue } after { $duration }.
alert-refired-below = 🔁 Fired again at { $time }: <a href="{ $link }">see the new message</a>

## Buttons under alerts
alert-take-failed = Cannot take #{ $id }: { $why }.
alert-take-why-not-found = no such ticket
alert-take-why-resolved = it is already resolved
alert-take-done = Ticket #{ $id } is yours.
alert-taken-by = 🙋 #{ $id } taken by { $name }.
alert-muted-answer = { $queue } muted for { $duration }.
alert-muted-notice = 🔕 Alerts of <b>{ $queue }</b> muted until { $until } by { $name }. They are still recorded; /sla shows the live state.
alert-unmute = 🔔 Unmute { $queue }
alert-unmuted-answer = { $queue } unmuted.
alert-unmuted-notice = 🔔 Alerts of <b>{ $queue }</b> are posted again: unmuted at { $time } by { $name }.

## /sla
sla-title = <b>SLA now</b> · { $time }
sla-queue-open = { $flag } <b>{ $queue }</b>: { $open } open
sla-oldest-waiting = , oldest waiting { $wait }
sla-counts = breached { $breached } · due ≤ 5 min { $soon } · past resolution { $late }
sla-frt = FRT P50 { $p50 } / P90 { $p90 } ({ $count } in 1 h)
sla-no-frt = no first responses in 1 h
sla-muted-until = 🔕 muted until { $until }
sla-firing = Firing: { $alerts }

## Daily digest
digest-title = 📊 <b>Daily digest</b> · { $date }
digest-tickets = Tickets: <b>{ $opened }</b> opened, { $resolved } resolved
digest-frt = FRT: P50 <b>{ $p50 }</b> · P90 <b>{ $p90 }</b>
digest-csat = CSAT: <b>{ $avg }</b>/5 ({ $ratings } ratings) · NPS: <b>{ $nps }</b> ({ $npsResponses })
digest-sla = SLA met: first response { $first } · resolution { $resolution }
digest-per-queue = <b>Per queue</b> (tickets · FRT P90 · first-response SLA met)
digest-top-categories = <b>Top categories</b>
digest-per-agent = <b>Per agent</b> (tickets · FRT P90 · CSAT)
digest-agent-unnamed = agent { $id }
digest-longest-waits = <b>Longest waits</b>
digest-still-unanswered = , still unanswered
digest-no-tickets = <i>No tickets yesterday.</i>

# /experiments (bot/alerts/experiments-command.ts)
experiments-header = 🧪 <b>Experiments</b>
experiments-none = No valid experiment files (EXPERIMENTS_DIR).
experiments-shipped = stopped, shipped: { $variant }
experiments-customers = { $total } customers exposed: { $split }
experiments-srm = ⚠️ Sample-ratio mismatch (p { $p }): the split does not match the weights — do not trust the results.
experiments-result = { $metric }, { $variant } vs control: { $value } vs { $baseline } ({ $diff }, { $rel }; 95 % CI { $low } … { $high }), p { $p }, always-valid p { $seq }
experiments-insufficient = { $metric }, { $variant }: not enough data yet ({ $reason })
experiments-power = Detectable now: { $mde } %; about { $days } more days for a { $target } % change.
experiments-power-reached = Detectable now: { $mde } % — the planned sample is reached.
experiments-problems = ⚠️ <b>Files left out</b> (the others keep running):
