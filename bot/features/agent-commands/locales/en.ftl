# Command menus, Telegram's "/" menu (bot/features/agent-commands/menu.ts): one line per command of every feature.

## Command menus (Telegram's "/" menu)
cmd-start = About this support chat
cmd-status = The state of your ticket
cmd-help = What this chat can do
cmd-language = Change the language
cmd-unsubscribe = Stop service updates
cmd-subscribe = Receive service updates again
cmd-take = Take the ticket of this topic
cmd-resolve = Resolve the ticket
cmd-reopen = Reopen the ticket
cmd-note = Internal note (not sent to the customer)
cmd-escalate = Move the ticket to another queue
cmd-m = Send a macro (/m lists them)
cmd-find-kb = Search the knowledge base
cmd-broadcast = Incident broadcast to all customers
cmd-ban = Stop relaying this customer
cmd-unban = Relay this customer again
