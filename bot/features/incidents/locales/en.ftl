# Incidents (bot/features/incidents/). inc-msg-*, inc-field-*, inc-known-issue, inc-fixed-recently, inc-suspected, inc-examples and inc-usage are sent with parse_mode HTML: no raw < > &.

## Incidents — customer
inc-known-issue = ⚠️ <b>We already know about this problem: { $title }.</b> Our team is working on it; your request #{ $number } is linked to it, so there is no need to write again.
inc-field-eta = Expected fix: in about { $eta } ({ $at }).
inc-field-eta-unknown = Expected fix: not known yet — we will tell you.
inc-button-notify = 🔔 Notify me when fixed
inc-notify-ok = 🔔 We will tell you as soon as it is fixed.
inc-fixed-recently = ✅ <b>We fixed a problem like this { $ago } ago: { $title }.</b> Please try again. If it still does not work, just reply here: your request #{ $number } stays open and an agent will help.
inc-msg-opened = ⚠️ <b>We are aware of a problem: { $title }</b>
inc-msg-updated = 🔄 <b>Update: { $title }</b>
inc-msg-resolved = ✅ <b>Fixed: { $title }</b>
inc-field-what = What happened: { $text }
inc-field-who = Who is affected: { $text }
inc-field-next = Next steps: { $text }
inc-msg-footer-open = Your request is linked to this problem: we will write when there is news.
inc-msg-footer-resolved = Thank you for your patience. If something still does not work, just reply here.
inc-msg-footer-closed = Thank you for your patience. We have closed your request about it; if something still does not work, just write to us.

## Incidents — agents
inc-suspected = 🚨 <b>Suspected incident: { $label }</b>
    { $tickets } tickets from { $customers } customers in the last { $window } — usually { $baseline } ({ $basis ->
        [weekly] same weekday and hour, past weeks
        [recent] recent average
       *[none] no history yet
    }).
inc-examples = Examples:
inc-button-confirm = ✅ Confirm incident
inc-button-dismiss = ✖️ Dismiss
inc-confirmed = ✅ Confirmed by { $by }: incident #{ $id } opened, { $linked } tickets linked.
inc-dismissed = ✖️ Dismissed by { $by }: no new alert for it within { $window }.
inc-decided-already = This suspected incident was already confirmed or dismissed.
inc-opened = 🚨 Incident #{ $id } opened: { $title }. { $linked } open tickets linked; their customers are told.
    ETA: /incident eta 2h (or 18:30) · template: /incident text what happened | who is affected | next steps · /incident resolve [--close-tickets]
inc-usage = /incident &lt;title&gt; opens an incident; /incident eta &lt;45m | 2h | 18:30&gt;; /incident text &lt;what happened&gt; | &lt;who is affected&gt; | &lt;next steps&gt;; /incident resolve [--close-tickets]. Prefix #N to choose an incident, e.g. /incident #3 eta 1h.
inc-none-open = No open incident.
inc-already-open = An incident for that category is already open.
inc-not-in-topic = Incidents are managed in the escalation chat or the General topic, not in a customer's topic.
inc-eta-bad = Give the ETA as a duration (45m, 2h) or a time of day (18:30), or "unknown".
inc-text-usage = Usage: /incident text what happened | who is affected | next steps
inc-eta-set = ⏱ Incident #{ $id }: ETA { $eta }. { $when ->
        [later] Linked customers get it at { $at } (one update per { $interval }).
       *[now] Linked customers are told now.
    }
inc-text-set = 📝 Incident #{ $id } updated.
inc-resolved = ✅ Incident #{ $id } resolved: its { $linked } linked customers are told{ $closed ->
        [yes] , and their tickets resolved.
       *[no] .
    }
inc-linked-topic = 🔗 Linked to incident #{ $id }: { $title }{ $known ->
        [yes] . The customer got the "known issue" reply.
       *[no] .
    }
inc-linked-topic-fixed = 🔗 Linked to incident #{ $id }: { $title }, resolved { $ago } ago. The customer was asked to try again; the ticket stays open.
inc-unlinked-topic = Unlinked from incident #{ $id }.
inc-link-usage = In a customer's topic: /link <incident number>, /unlink
inc-link-unknown = No open incident #{ $id }.
inc-not-linked = This ticket is not linked to an incident.
inc-already-linked = This ticket is already linked to that incident.
inc-card-line = 🔗 Incident #{ $id }: { $title }{ $status ->
        [resolved] {" "}(resolved)
       *[open] {""}
    }
