# Macros (bot/features/macros/). macro-sent and macro-list-header are sent with parse_mode HTML: no raw < > &.

## Macros — agents
macro-list-header = Macros — send one with /m name in a customer's topic (⏳ = waits for the customer's answer):
macro-unknown = There is no macro "{ $name }". /m lists them.
macro-not-in-topic = Macros are sent from a customer's topic.
macro-sent = 📎 Macro { $name } ({ $lang }) sent to the customer:
