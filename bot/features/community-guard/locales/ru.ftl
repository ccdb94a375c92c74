# Защита чата сообщества (bot/features/community-guard/): капча, ссылки новичков, клоны, закреплённые аккаунты.

## Вступающие в чат сообщества
community-guard-captcha-request = 👋 Здравствуйте, { $who }! Чтобы вступить в чат сообщества, подтвердите, что вы не бот: нажмите <b>{ $object }</b>. На ответ у вас { $time }.
community-guard-captcha-member = 👋 Добро пожаловать, { $who }! Прежде чем писать здесь, нажмите <b>{ $object }</b>. На ответ у вас { $time }.
community-guard-object-apple = яблоко
community-guard-object-car = машину
community-guard-object-cat = кошку
community-guard-object-house = дом
community-guard-object-star = звезду
community-guard-object-umbrella = зонтик
community-guard-not-yours = Эта проверка для другого человека — ответить может только тот, кто только что вступил.
community-guard-expired = Эта проверка уже закончилась.
community-guard-passed-toast = ✅ Спасибо!
community-guard-wrong-toast = ❌ Это не та картинка.
community-guard-approved = ✅ Спасибо — заявка одобрена. Добро пожаловать в сообщество!
community-guard-declined-timeout = ⌛️ Время вышло, заявка отклонена. Вы можете подать её снова в любой момент.
community-guard-declined-wrong = ❌ Это не та картинка, заявка отклонена. Вы можете подать её снова в любой момент.
community-guard-held = { $who }, ссылки, медиа и пересланные посты доступны участникам после { $count } сообщений — ваше сообщение удалено. Сначала поздоровайтесь!
community-guard-official = 🛡 Наши официальные аккаунты: { $accounts }. Сотрудники никогда не пишут первыми с других аккаунтов и никогда не просят пароли, коды, сид-фразы или данные карт. Все остальные, кто использует наше имя, — мошенники.

## Чат эскалаций
community-guard-clone-request = 🎭 <b>Возможный клон</b> подал заявку в чат сообщества: { $who } — { $what } { $target }.
community-guard-clone-member = 🎭 <b>Возможный клон</b> вступил в чат сообщества: { $who } — { $what } { $target }.
community-guard-clone-renamed = 🎭 <b>Возможный клон</b>: участник чата сообщества сменил имя: { $who } — { $what } { $target }.
community-guard-clone-by-username = имя пользователя похоже на
community-guard-clone-by-name = имя похоже на
