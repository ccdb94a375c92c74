# Broadcasts (bot/features/broadcasts/). bc-header*, bc-footer and bc-preview* are sent with parse_mode HTML: no raw < > &.

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
        [pending] 🚨 Urgent asked for — waiting for a second team lead to press Urgent.
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
