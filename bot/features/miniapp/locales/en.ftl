# Mini App (bot/features/miniapp/): the buttons and messages that open the customer's app.

miniapp-menu-button = Support
miniapp-track-status = 📍 Track status
miniapp-open = 📱 Open the app
miniapp-open-ticket = Request #{ $number } — status, ETA and the whole conversation are in the app:
miniapp-open-article = The article is in the help centre:
miniapp-open-new = A new request — with answers from the help centre while you type:
miniapp-settings = Your settings: language, time zone, quiet hours, notifications and your data.
miniapp-settings-chat = In this chat: /language changes the language, /unsubscribe and /subscribe turn service news off and on.
miniapp-no-ticket = No request #{ $number } here. /status shows your latest one.
miniapp-no-article = That article is no longer in the help centre. Write your question here and we will answer.

# For agents (AGENT_LANGUAGE), in the topic.
miniapp-agent-reopened = 🔄 The customer reopened #{ $number } in the app.
