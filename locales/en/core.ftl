# Texts the desk shares (bot/): its customer and agent sides, refusals, durations. Each feature keeps its own in bot/features/<feature>/locales/<lang>.ftl.

## Customer side
start-welcome =
    👋 Hi, { $name }! This is the support chat.

    Just write your question here — text, screenshots, files or voice messages are all fine. Your first message opens a ticket with a number; a support agent answers right in this chat, usually within minutes.

    🔒 Our staff will never ask for your password, verification codes, seed phrases or card details (CVV). Never share them with anyone, even if they claim to be us.

    /status — the state of your ticket
ticket-receipt =
    ✅ Ticket #{ $number } created. Queue: { $queue }. { $busy ->
        [yes] We're busier than usual right now: expect an answer within about { $eta }. Thank you for your patience.
       *[no] We usually answer within { $eta }.
    }
ticket-routed =
    Thanks! Ticket #{ $number } is now in the { $queue } queue. { $busy ->
        [yes] We're busier than usual right now: expect an answer within about { $eta }. Thank you for your patience.
       *[no] We usually answer within { $eta }.
    }
category-prompt = What is your question about?
category-chosen = Topic: { $category }
category-payment = 💳 Payment
category-account = 👤 Account
category-features = ✨ Features
category-complaint = 😞 Complaint
category-ideas = 💡 Ideas
help-customer =
    ℹ️ This is the support chat. Write your question here — text, screenshots, files or voice messages are all fine. Your first message opens a ticket, and a support agent answers right in this chat.

    /status — the state of your ticket
    /language — change the language
    /help — this help

    To reach a person, just write what happened: every message goes to our support agents.
help-unknown-command = Sorry, I don't know that command.
status-none = You have no tickets yet. Just write your question and we'll open one.
status-open =
    Ticket #{ $number }: { $status }
    Queue: { $queue }
    { $eta ->
        [none] An agent has already answered.
       *[other] Expected answer within { $eta }.
    }
status-resolved = Ticket #{ $number } is solved. Write here anytime to open a new ticket.
ticket-status-new = received
ticket-status-waiting_agent = waiting for an agent
ticket-status-in_progress = an agent is working on it
ticket-status-waiting_customer = waiting for your reply
ticket-status-resolved = solved
ticket-resolved-customer = 🏁 Ticket #{ $number } is solved. If something is still wrong, just write here — we'll open a new ticket.
ticket-reopened-customer = Ticket #{ $number } is open again; an agent will get back to you.
duration-minutes = { $m } min
duration-hours = { $h } h
duration-hours-minutes = { $h } h { $m } min
duration-days = { $d } d { $h } h

## Agent side (support group)
agent-card =
    🎫 <b>Ticket #{ $number }</b>
    👤 { $customer }{ $username }, id <code>{ $customerId }</code>
    🌐 Language: { $language }
    📂 Queue: <b>{ $queue }</b> · Category: { $category }
    ⏱ First response due: { $firstDue }
    🎯 Resolution due: { $resolutionDue }{ $calendar }
    🧑‍💼 Agent: { $agent }
    🗂 Earlier tickets: { $history }{ $held }
agent-card-none = —
agent-card-repeat = 🔁 repeat contact
agent-card-held = 📎 Held from a new customer: { $count } — not shown in the topic until released.
agent-card-stale = This card is out of date: use the latest card of ticket #{ $number }.
agent-button-take = 📝 Take
agent-button-resolve = 🏁 Resolve
agent-button-reopen = ↩️ Reopen
agent-button-release = 📎 Release held ({ $count })
agent-released-held = 📎 { $agent } released { $count ->
        [one] the held message
       *[other] { $count } held messages
    }.
agent-unknown-command =
    { $suggestion ->
        [none] ❓ Unknown command /{ $command }.
       *[other] ❓ Unknown command /{ $command } — did you mean /{ $suggestion }?
    }

    Commands:
    { $commands }
agent-taken = 📝 { $agent } took ticket #{ $number }.
agent-resolved = 🏁 Ticket #{ $number } resolved by { $agent }.
agent-reopened = ↩️ Ticket #{ $number } reopened by { $agent }.
agent-escalated = ⬆️ Ticket #{ $number } moved { $from } → { $to } by { $agent }. New deadlines: first response { $firstDue }, resolution { $resolutionDue }.
agent-category = 📂 The customer picked { $category }; queue { $queue }.
agent-note-saved = 📌 Note saved (not sent to the customer).
agent-note-usage = Usage: /note <text>
agent-escalate-usage = Usage: /escalate <queue>. Queues: { $queues }
agent-banned = 🚫 Customer banned: their messages are no longer relayed.
agent-unbanned = ✅ Customer unbanned.
agent-no-ticket = There is no ticket in this topic.
agent-customer-blocked = ⚠️ The customer blocked the bot: messages can't be delivered until they write again.
agent-customer-unblocked = ✅ The customer unblocked the bot.
agent-uncopyable = ⚠️ The customer sent a { $kind } message that can't be shown here.

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
