# Anti-spam (bot/features/antispam/).

## Anti-spam — customer
spam-rate-limit = You're sending messages very fast. We've got them all and pass them on to the agent in order, a few at a time — no need to send them again.
spam-duplicate = We've already got this message — no need to send it again. An agent will answer soon.
spam-newcomer-link = Got it. For everyone's safety, an agent checks links from new contacts before opening them. A few words about the problem help us too.
spam-newcomer-media = Got it. For everyone's safety, an agent checks files and photos from new contacts before opening them. A few words about the problem help us too.

## Anti-spam — agents (sent as HTML)
spam-agent-held-media = 📎 { $kind } held: new customer. Release it on the ticket card once it looks safe.
spam-agent-held-link = 🔗 Message with a link held: new customer. The link is shown as its site only; release the message on the ticket card once it looks safe.
