# Trust and safety: official accounts, fake-account reports (bot/features/trust/).

## Customers
trust-official = 🛡 Our official accounts: { $accounts }. We never write to you first from any other account, and we never ask for passwords, codes, seed phrases or card details.
trust-official-none = 🛡 We write to you only in this chat, through this bot. We never ask for passwords, codes, seed phrases or card details.
trust-report-button = 🚩 Report a fake account
trust-report-prompt = 🚩 Send the fake account's @username, or forward a message you got from it. Anything else carries on as usual.
trust-report-thanks = ✅ Thank you — our team has been told. Do not answer that account, and never send it codes, passwords or money.
trust-agent-notice = ℹ️ Our agents answer you only here, through this bot — never from personal accounts.

## Escalation chat
trust-fake-reported = 🚩 <b>Fake account reported</b> by a customer: { $account }
trust-fake-reported-forward = 🚩 <b>Fake account reported</b> by a customer, who forwarded a message from { $account }:

## Command menu
cmd-official = Our official accounts
cmd-reportfake = Report a fake account

## Consent (CONSENT_VERSION)
trust-consent = 🔐 Before we open your request: please read how we handle your data — { $url } (version { $version }). We keep only what we need to help you, and you can have it deleted any time with /deletemydata. Your message is saved and reaches our team as soon as you accept.
trust-consent-accept = ✅ Accept
trust-consent-thanks = ✅ Thank you — your message is on its way to our team.
trust-consent-outdated = Our privacy notice has changed: please send your message again to see the current one.
trust-withdraw = 🔐 Withdraw your consent? Withdrawing it means we delete your data: your name, username, language and settings, every message of your conversations with us and our notes about you. Ticket numbers, times and scores stay, naming nobody; an open request is closed. This cannot be undone.
trust-withdraw-button = 🗑 Withdraw and delete my data
trust-withdraw-cancel = Cancel
cmd-withdraw = Withdraw consent (deletes your data)
