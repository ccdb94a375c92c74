# Community chat guard (bot/features/community-guard/): captcha, newcomers' links, clones, the pinned accounts.

## People joining the community chat
community-guard-captcha-request = 👋 Hi { $who }! To join our community chat, please prove you are not a bot: press the <b>{ $object }</b> within { $time }.
community-guard-captcha-member = 👋 Welcome, { $who }! Before you can write here, press the <b>{ $object }</b> within { $time }.
community-guard-object-apple = apple
community-guard-object-car = car
community-guard-object-cat = cat
community-guard-object-house = house
community-guard-object-star = star
community-guard-object-umbrella = umbrella
community-guard-not-yours = This check is for someone else — only the person who just joined can answer it.
community-guard-expired = This check is over.
community-guard-passed-toast = ✅ Thank you!
community-guard-wrong-toast = ❌ That was not the right picture.
community-guard-approved = ✅ Thank you — your request is approved. Welcome to the community!
community-guard-declined-timeout = ⌛️ Time is up, so your request was declined. You can ask to join again at any time.
community-guard-declined-wrong = ❌ That was not the right picture, so your request was declined. You can ask to join again at any time.
community-guard-held = { $who }, links, media and forwarded posts are open to members after { $count } messages — your message was removed. Say hello first!
community-guard-official = 🛡 Our official accounts: { $accounts }. Staff never write to you first from other accounts and never ask for passwords, codes, seed phrases or card details. Anyone else using our name is a fake.

## Escalation chat
community-guard-clone-request = 🎭 <b>Possible clone</b> asked to join the community chat: { $who } — { $what } { $target }.
community-guard-clone-member = 🎭 <b>Possible clone</b> joined the community chat: { $who } — { $what } { $target }.
community-guard-clone-renamed = 🎭 <b>Possible clone</b>: a member of the community chat renamed themselves: { $who } — { $what } { $target }.
community-guard-clone-by-username = their username looks like
community-guard-clone-by-name = their name looks like
