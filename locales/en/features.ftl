# Service features (bot/features/). Keys are prefixed with the feature: kb-, rate-, fu-, autoclose-, macro-, bc-, spam-, lang-.
# Texts sent with parse_mode HTML (kb-suggest-*, bc-header*, bc-footer, bc-preview*, macro-sent) must not contain raw < > &.

## Knowledge base — customer
kb-suggest-header = 💡 This article may answer your question:
kb-suggest-question = Did this solve your problem? If not, a person from our team will help.
kb-button-solved = ✅ Solved
kb-button-human = 👤 Talk to a human
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

## Ratings — customer
rate-csat-question = How would you rate our help with ticket #{ $number }? 1 — very poor, 5 — excellent.
rate-nps-question = One more: how likely are you to recommend us to a friend? 0 — not at all, 10 — definitely.
rate-your-answer = Your answer: { $score }. You can change it by tapping another number.
rate-recorded = Thank you! Your answer: { $score }
rate-changed = Updated: { $score }
rate-thanks-high = Thank you for the { $score }! We're glad we could help.
rate-thanks-low = Thank you for being honest — we're sorry it wasn't better. Would you like someone from the team to get back to you about it?
rate-button-followup = 🙋 Yes, please contact me
rate-followup-requested = Done — an agent will get back to you in this chat.
rate-nps-thanks-promoter = Thank you, that means a lot to us! 💙
rate-nps-thanks-passive = Thank you! We'll keep working to earn a 10.
rate-nps-thanks-detractor = Thank you for the honest answer. If you tell us what to improve, we'll pass it to the team.

## Ratings — agents
rate-agent-low = ⚠️ The customer rated ticket #{ $number }: { $score }/5.
rate-agent-followup = 🙋 The customer asks for a follow-up on ticket #{ $number } (rated { $score }/5).
rate-agent-followup-reopened = 🙋 The customer asks for a follow-up (rated { $score }/5): ticket #{ $number } reopened.

## Follow-up — customer
fu-question = Hi { $name }! We recently resolved your request #{ $number }. Did our solution help?
fu-button-yes = 👍 Yes, it helped
fu-button-no = 👎 No
fu-thanks = Great, thank you for letting us know! 🙌
fu-reopened = Sorry to hear that. Ticket #{ $number } is open again — an agent will get back to you here.
autoclose-customer = We haven't heard back from you for { $hours } hours, so we've closed ticket #{ $number }. If you still need help, just write here — we'll pick it up.

## Follow-up — agents
fu-agent-reopened = ❗️ The customer says the solution did not help: ticket #{ $number } reopened.
fu-agent-not-helped = ❗️ The customer says the solution for ticket #{ $number } did not help.
autoclose-agent = 🏁 Ticket #{ $number } closed automatically: no answer from the customer for { $hours } h.

## Macros — agents
macro-list-header = Macros — send one with /m name in a customer's topic (⏳ = waits for the customer's answer):
macro-unknown = There is no macro "{ $name }". /m lists them.
macro-not-in-topic = Macros are sent from a customer's topic.
macro-sent = 📎 Macro { $name } ({ $lang }) sent to the customer:

## Broadcasts — customer
bc-header = 📣 Service update
bc-header-urgent = 🚨 Important service update
bc-footer = You receive service updates from support. /unsubscribe to stop them.
bc-unsubscribed = You won't receive service updates anymore. /subscribe turns them back on. Your support chat keeps working as usual.
bc-subscribed = You'll receive service updates again. /unsubscribe turns them off.

## Broadcasts — agents
bc-usage = Usage: /broadcast <text>, or /broadcast --urgent <text> to send during quiet hours too. Send it in the General topic.
bc-too-long = The broadcast is { $length } characters long; { $max } at most fit in one message with the header and footer.
bc-not-in-topic = Broadcasts are sent from the General topic (or a staff topic), not from a customer's topic.
bc-preview = 📣 Broadcast #{ $id } preview — { $recipients } recipients, { $optedOut } opted out. { $urgent ->
        [yes] 🚨 Urgent.
       *[no] Not urgent.
    }
bc-preview-quiet = 🌙 Quiet hours now: a non-urgent broadcast starts when they end.
bc-button-confirm = ✅ Confirm
bc-button-cancel = ✖️ Cancel
bc-button-urgent-on = 🚨 Urgent: on
bc-button-urgent-off = 🚨 Urgent: off
bc-not-draft = This broadcast was already confirmed or cancelled.
bc-cancelled = ✖️ Broadcast #{ $id } cancelled.
bc-scheduled = 🌙 Broadcast #{ $id } will start at { $when }, when quiet hours end.
bc-starting = 📣 Broadcast #{ $id } is starting…
bc-progress = 📣 Broadcast #{ $id }: { $sent } of { $total } sent — { $delivered } delivered, { $failed } failed.
bc-done = ✅ Broadcast #{ $id } finished: { $delivered } delivered, { $failed } failed of { $total }; { $optedOut } opted out.

## Anti-spam — customer
spam-rate-limit = You're sending messages very fast. We've got them all and pass them on to the agent in order, a few at a time — no need to send them again.
spam-duplicate = We've already got this message — no need to send it again. An agent will answer soon.
spam-newcomer-link = Got it. For everyone's safety, an agent checks links from new contacts before opening them. A few words about the problem help us too.
spam-newcomer-media = Got it. For everyone's safety, an agent checks files and photos from new contacts before opening them. A few words about the problem help us too.

## Anti-spam — agents (sent as HTML)
spam-agent-held-media = 📎 { $kind } held: new customer. Release it on the ticket card once it looks safe.
spam-agent-held-link = 🔗 Message with a link held: new customer. The link is shown as its site only; release the message on the ticket card once it looks safe.

## Language
lang-choose = Choose your language:
lang-set = ✅ Language: { $language }

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
