# The ticket card and its buttons (bot/features/ticket-card/), in the agents' language. agent-card is sent with parse_mode HTML.

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
agent-card-replies-in = { $language } (the bot answers in { $locale }: no { $language } texts)
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
