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
