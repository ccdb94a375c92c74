# Privacy: erasing a customer's data (bot/features/privacy/).

## Erasure — customer
privacy-erase-confirm = 🗑 Delete your data?

    We will delete your name, username, language and settings, every message of your conversations with us (here, in the app and the copies our agents saw) and our notes about you.

    What stays, naming nobody: ticket numbers and their times, scores and statistics — nothing in them can be linked to you any more. An open request is closed.

    This cannot be undone. If you write to us again later, you start afresh.
privacy-erase-button = 🗑 Delete my data
privacy-cancel-button = Cancel
privacy-erase-cancelled = Nothing was deleted.
privacy-erase-expired = This confirmation has expired. Send /deletemydata again if you still want your data deleted.
privacy-erased = ✅ Your data has been deleted. You may also clear this chat on your side. Thank you for having been with us.

## Erasure — admins in the support group
privacy-forget-confirm = 🗑 Erase this customer's data? Their name, username, settings, messages, notes and this topic are deleted; tickets, scores and statistics stay, naming nobody. This cannot be undone.
privacy-forget-button = 🗑 Erase this customer's data
privacy-forget-cancel = Keep
privacy-forget-kept = Nothing was erased.
privacy-forget-gone = This customer's data is already erased.
privacy-forget-done = 🗑 { $admin } erased a customer's data ({ $tickets } tickets kept, naming nobody). Their topic is being deleted.
privacy-topic-title = Deleted customer
privacy-topic-kept = 🗑 This customer's data was erased. The bot may not delete this topic (it needs the "Delete messages" right): an admin should delete it by hand.
