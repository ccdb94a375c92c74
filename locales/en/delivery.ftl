## Held customer messages (bot/delivery-repair.ts): to the escalation chat, in AGENT_LANGUAGE

agent-delivery-blocked = 🚨 Topics cannot be created in the support group: { $reason } — { $count } { $count ->
        [one] customer
       *[other] customers
    } waiting. They got their receipts; their messages are delivered as soon as the group works again (check SUPPORT_CHAT_ID, Topics enabled, the bot's "Manage topics" right).
agent-delivery-recovered = ✅ The support group works again: the held customer messages were delivered to their topics.
