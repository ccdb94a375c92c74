# The customer intake (bot/features/intake/): /start, /status, /help, the receipt; agent-category is for the topic.

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
# The receipt's "steps" variant (experiment surface receipt, experiments/README.md).
ticket-receipt-steps =
    ✅ Ticket #{ $number } created. What happens next:
    1️⃣ Your message is with our support team now (queue { $queue }).
    2️⃣ An agent answers right in this chat — { $busy ->
        [yes] we're busier than usual, so expect about { $eta }.
       *[no] usually within { $eta }.
    }
    3️⃣ If they need details, they ask here: just reply in this chat.
    4️⃣ When it's solved, you get a short note and can rate our help.
    /status shows where your ticket is at any time.
ticket-routed =
    Thanks! Ticket #{ $number } is now in the { $queue } queue. { $busy ->
        [yes] We're busier than usual right now: expect an answer within about { $eta }. Thank you for your patience.
       *[no] We usually answer within { $eta }.
    }
category-chosen = Topic: { $category }
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
agent-category = 📂 The customer picked { $category }; queue { $queue }.
