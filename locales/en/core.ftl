# Texts the desk shares (bot/): its customer and agent sides, refusals, durations. Each feature keeps its own in bot/features/<feature>/locales/<lang>.ftl.

## Customer side
category-prompt = What is your question about?
category-payment = 💳 Payment
category-account = 👤 Account
category-features = ✨ Features
category-complaint = 😞 Complaint
category-ideas = 💡 Ideas
ticket-resolved-customer = 🏁 Ticket #{ $number } is solved. If something is still wrong, just write here — we'll open a new ticket.
# The resolution as one summary (experiment surface notifications, variant summary: experiments/README.md).
ticket-resolved-summary =
    🏁 Ticket #{ $number } is solved. In short:
    • queue: { $queue }
    • first answer: { $answered ->
        [none] none needed
       *[other] after { $answered }
    }
    • solved: { $solved } after you wrote
    If something is still wrong, just write here — we'll open a new ticket.
ticket-reopened-customer = Ticket #{ $number } is open again; an agent will get back to you.
duration-minutes = { $m } min
duration-hours = { $h } h
duration-hours-minutes = { $h } h { $m } min
duration-days = { $d } d { $h } h

## Agent side (support group)
agent-taken = 📝 { $agent } took ticket #{ $number }.
agent-resolved = 🏁 Ticket #{ $number } resolved by { $agent }.
agent-reopened = ↩️ Ticket #{ $number } reopened by { $agent }.
agent-no-ticket = There is no ticket in this topic.
agent-customer-blocked = ⚠️ The customer blocked the bot: messages can't be delivered until they write again.
agent-customer-unblocked = ✅ The customer unblocked the bot.
agent-uncopyable = ⚠️ The customer sent a { $kind } message that can't be shown here.
agent-relay-resent = ↻ Sent again after a restart of the desk: the message above may appear twice.
agent-relay-resent-reply = ↻ The reply above was sent again after a restart; the customer may see it twice.

## Refusals of the ticket state machine (bot/error-boundary.ts): to agents in the support group, to customers in their chat
desk-error-ticket-resolved = Ticket is already resolved.
desk-error-ticket-already-resolved = Ticket is already resolved.
desk-error-ticket-not-resolved = Ticket is not resolved.
desk-error-customer-has-open-ticket = The customer already has another open ticket.
desk-error-unknown-queue = Unknown queue "{ $queue }". Queues: { $queues }
desk-error-same-queue = The ticket is already in { $queue }.
desk-error-ticket-not-found = Ticket not found.
desk-error-category-already-set = A topic was chosen for this ticket already.
desk-error-unknown-category = Unknown topic.
desk-error-role-agent = Only agents of the support group can do this (members who are not restricted).
desk-error-role-team_lead = Only a team lead can do this.
desk-error-role-admin = Only an admin can do this.
desk-error-broadcast-second-lead = Waiting for a second team lead: an urgent broadcast to all customers needs another team lead to press Urgent.

## The audit trail (bot/audit.ts): /audit, for admins
audit-usage = Usage: /audit, /audit @<user id> or /audit #<ticket>.
audit-empty = No staff actions recorded yet.
audit-header = 🧾 The last { $count } staff actions, newest first:
audit-not-in-topic = /audit works in the General topic or the escalation chat, not in a customer's topic.
