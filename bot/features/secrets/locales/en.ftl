# Secrets in chats (bot/features/secrets/).

## Secrets — customer
secrets-customer-warning = 🔒 Your message contained a card number, code, password or recovery phrase. We hid it from the agent — please never send these to anyone, including us: we will never ask for them.

## Secrets — agents
secrets-agent-masked = 🔒 masked: the customer's message contained a secret, hidden here. Do not ask for it.
secrets-agent-request-held = ⛔ Not sent: this message asks the customer for { $secret }. Staff never ask for passwords, 2FA codes, seed phrases or CVV — rephrase it (e.g. ask them to reset the password or to enter the code in the app themselves).
secrets-kind-password = a password
secrets-kind-code = a 2FA or SMS code
secrets-kind-seed-phrase = a seed phrase or private key
secrets-kind-cvv = a card's CVV
