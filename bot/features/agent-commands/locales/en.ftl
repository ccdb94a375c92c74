# The agents' commands (bot/features/agent-commands/): the command menus, Telegram's "/" menu (menu.ts: one line per command of every feature), then the replies to the commands.

## Command menus (Telegram's "/" menu)
cmd-start = About this support chat
cmd-status = The state of your ticket
cmd-help = What this chat can do
cmd-language = Change the language
cmd-settings = Your settings (language, time zone, notifications)
cmd-unsubscribe = Stop service updates
cmd-subscribe = Receive service updates again
cmd-deletemydata = Delete my data (asks first)
cmd-take = Take the ticket of this topic
cmd-resolve = Resolve the ticket
cmd-reopen = Reopen the ticket
cmd-note = Internal note (not sent to the customer)
cmd-escalate = Move the ticket to another queue
cmd-m = Send a macro (/m lists them)
cmd-find-kb = Search the knowledge base
cmd-broadcast = Incident broadcast to all customers
cmd-incident = Incidents (team leads): /incident <title>, eta, text, resolve
cmd-report = Weekly report (team leads): last week in the escalation chat
cmd-link = Link this ticket to an open incident: /link <number>
cmd-unlink = Unlink this ticket from its incident
cmd-ban = Stop relaying this customer
cmd-unban = Relay this customer again
cmd-audit = The last staff actions (admins): /audit @user id or /audit #ticket
cmd-forget = Erase the customer of this topic (admins)

## Replies to the commands
agent-unknown-command =
    { $suggestion ->
        [none] ❓ Unknown command /{ $command }.
       *[other] ❓ Unknown command /{ $command } — did you mean /{ $suggestion }?
    }

    Commands:
    { $commands }
agent-escalated = ⬆️ Ticket #{ $number } moved { $from } → { $to } by { $agent }. New deadlines: first response { $firstDue }, resolution { $resolutionDue }.
agent-note-saved = 📌 Note saved (not sent to the customer).
agent-note-usage = Usage: /note <text>
agent-escalate-usage = Usage: /escalate <queue>, or /escalate <why> to hand the ticket to an expert (its queue's escalation target). Queues: { $queues }
agent-banned = 🚫 Customer banned: their messages are no longer relayed.
agent-unbanned = ✅ Customer unbanned.
