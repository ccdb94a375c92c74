# Knowledge base (bot/features/kb/). kb-suggest-* are sent with parse_mode HTML: no raw < > &.

## Knowledge base — customer
kb-suggest-header = 💡 This article may answer your question:
kb-suggest-question = Did this solve your problem? If not, a person from our team will help.
kb-button-solved = ✅ Solved
kb-button-human = 👤 Talk to a human
kb-human-reply-routed = Of course — an agent will take it from here.
# kb_format = search (experiment surface, experiments/README.md): the matching questions as buttons.
kb-search-header = 💡 Is your question one of these? Tap it to see the answer.
kb-button-none = 👤 None of these — talk to a human
kb-solved-reply = 🎉 Glad it helped! Ticket #{ $number } is closed. Write here anytime if you need anything else.
kb-human-reply = Of course — an agent will take it from here. One more question to route you to the right person:

## Knowledge base — agents
kb-agent-suggested = 💡 Bot suggested the article "{ $title }" ({ $id }, score { $score }); waiting for the customer's answer.
kb-agent-solved = ✅ The customer says the article solved it; ticket #{ $number } closed by the knowledge base.
kb-agent-human = 👤 The article did not help; the customer wants a human (ticket #{ $number }).
kb-find-usage = Usage: /find_kb <words> — in a customer's topic, tap an article to send it.
kb-find-none = Nothing in the knowledge base matches "{ $query }".
kb-find-results = Articles for "{ $query }" — tap one to send it to the customer:
kb-find-results-general = Articles for "{ $query }" — tap one to read it (send from a customer's topic):
kb-find-gone = This article no longer exists.
kb-find-sent = 📄 Sent to the customer: { $title }
