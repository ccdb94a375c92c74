# Follow-up and auto-close (bot/features/followups/).

## Follow-up — customer
fu-question = Hi { $name }! We recently resolved your request #{ $number }. Did our solution help?
fu-button-yes = 👍 Yes, it helped
fu-button-no = 👎 No
fu-thanks = Great, thank you for letting us know! 🙌
fu-reopened = Sorry to hear that. Ticket #{ $number } is open again — an agent will get back to you here.
fu-not-offered = Thank you! This question is no longer available.
autoclose-customer = We haven't heard back from you for { $hours } hours, so we've closed ticket #{ $number }. If you still need help, just write here — we'll pick it up.

## Follow-up — agents
fu-agent-reopened = ❗️ The customer says the solution did not help: ticket #{ $number } reopened.
fu-agent-not-helped = ❗️ The customer says the solution for ticket #{ $number } did not help.
autoclose-agent = 🏁 Ticket #{ $number } closed automatically: no answer from the customer for { $hours } h.
