/**
 * Test fixture: 34 more help-centre articles (English) of a shop with payments
 * and deliveries, beside the shipped 16 they make a 50-article knowledge base,
 * each with customer phrasings that it answers. Written like real articles
 * (title, keywords, a few paragraphs) on topics real desks carry, several of
 * them close neighbours of shipped ones (card lost vs card declined, exchange
 * vs refund, address change vs delivery status) so the decision is tested
 * where it is hard. Used by corpus-size.test.ts.
 */
import type { KbArticle } from './article.js';
import type { Phrasing } from './phrasings.js';

interface Spec {
  id: string;
  title: string;
  keywords: string[];
  body: string;
  asks: string[];
}

const SPECS: Spec[] = [
  {
    id: 'promo-codes',
    title: 'Promo codes and discount vouchers',
    keywords: ['promo code', 'discount code', 'voucher', 'coupon', 'code not valid', 'discount not applied'],
    body: 'Enter a promo code on the checkout page before you pay. One code per order; codes cannot be combined with sale prices unless the code says so. A code that is "not valid" has usually expired or is limited to certain products or to your first order. Codes cannot be added to an order that is already paid.',
    asks: ['the coupon from your newsletter says invalid at checkout', 'forgot to enter my discount code, can you apply it now?'],
  },
  {
    id: 'gift-cards',
    title: 'Gift cards: buying, sending and redeeming',
    keywords: ['gift card', 'gift certificate', 'redeem gift card', 'gift card balance', 'present card'],
    body: 'Gift cards are sold in amounts from 10 to 500 and sent by email with a code. Redeem the code in Wallet → Gift cards; the balance is valid for 3 years and can pay for any order. A gift card cannot be exchanged for cash. If the recipient did not get the email, check spam or send it again from your orders.',
    asks: ['how do I use the gift card my sister gave me', 'bought a gift certificate but the recipient never received the email'],
  },
  {
    id: 'cancel-order',
    title: 'Cancel an order before it ships',
    keywords: ['cancel order', 'cancel my purchase', 'order cancellation', 'ordered by mistake', 'change my mind'],
    body: 'You can cancel an order yourself while its status is "Processing": open the order and tap Cancel. The money is released to your card at once (your bank may show it for a few days). Once the order is "Shipped" it cannot be cancelled; refuse the parcel or return it instead.',
    asks: ['I ordered the wrong thing by mistake, can I cancel it', 'how to cancel an order that has not been shipped yet'],
  },
  {
    id: 'change-delivery-address',
    title: 'Change the delivery address of an order',
    keywords: ['change address', 'wrong address', 'delivery address', 'shipping address', 'move delivery'],
    body: 'The address can be changed until the order is handed to the courier: open the order and tap Edit address. After that, contact the courier service with your tracking number — most let you redirect the parcel to a pickup point. Addresses in another country need a new order.',
    asks: ['I entered the wrong street in my shipping address', 'can I send my order to my office instead of home'],
  },
  {
    id: 'exchange-item',
    title: 'Exchange an item for another size or colour',
    keywords: ['exchange', 'wrong size', 'swap item', 'different size', 'different colour', 'size exchange'],
    body: 'Exchanges are free within 30 days. Open the order, choose the item and tap Exchange, then pick the new size or colour. Send the original back with the prepaid label; we ship the new one as soon as the courier scans the return. If the size you want is sold out we refund instead.',
    asks: ['the shoes are too small, I want a bigger size', 'can I swap this jacket for the black one'],
  },
  {
    id: 'damaged-item',
    title: 'An item arrived damaged or broken',
    keywords: ['damaged', 'broken', 'arrived broken', 'defective', 'cracked', 'faulty item'],
    body: 'Sorry about that. Take a photo of the item and of the packaging and send them here within 14 days of delivery, with your order number. We send a replacement or refund the item, your choice; you do not need to return items that arrived broken unless we ask.',
    asks: ['the vase came cracked in the box', 'the blender I received is defective and does not turn on'],
  },
  {
    id: 'missing-item',
    title: 'An item is missing from my parcel',
    keywords: ['missing item', 'item missing', 'incomplete order', 'not all items', 'part of order'],
    body: 'Large orders are sometimes shipped in several parcels: check the order page for a second tracking number. If everything has arrived and an item is still missing, write here with the order number and a photo of the package contents; we send it again or refund it.',
    asks: ['I received my parcel but one of the three items is not there', 'half of my order is missing'],
  },
  {
    id: 'customs-duties',
    title: 'International shipping, customs and import duties',
    keywords: ['customs', 'import duty', 'import tax', 'international shipping', 'held at customs', 'customs fee'],
    body: "Orders shipped outside the EU may be charged import duty and VAT by your country's customs on arrival; the courier collects it before delivery. Prices at checkout show whether duties are included. A parcel held at customs usually needs your ID number or an invoice — we send the invoice on request.",
    asks: ['the courier wants me to pay import tax before delivering', 'my parcel is stuck at customs, what documents do they need'],
  },
  {
    id: 'pickup-points',
    title: 'Collect an order from a pickup point or locker',
    keywords: ['pickup point', 'parcel locker', 'collect order', 'pick up', 'locker code'],
    body: 'Choose a pickup point or parcel locker at checkout. When the parcel arrives you get a message with a code; it is kept for 7 days. Bring an ID for pickup points; lockers open with the code. An uncollected parcel comes back to us and is refunded minus shipping.',
    asks: ['where do I find the code to open the parcel locker', 'how many days will the pickup point keep my package'],
  },
  {
    id: 'lost-stolen-card',
    title: 'Lost or stolen card: freeze it',
    keywords: ['lost card', 'stolen card', 'freeze card', 'block card', 'card missing'],
    body: 'Freeze the card right away in Cards → Freeze: nobody can pay with it while it is frozen, and you can unfreeze it if you find it. If it was stolen, tap Report stolen: the card is closed for good and a new one is sent for free. Check your recent transactions and dispute any you do not recognise.',
    asks: ['I lost my wallet with the card inside, how do I block it', 'someone stole my card yesterday'],
  },
  {
    id: 'card-pin',
    title: 'Card PIN: view, change or unblock',
    keywords: ['pin', 'pin code', 'forgot pin', 'change pin', 'pin blocked', 'wrong pin'],
    body: 'See your PIN in Cards → Show PIN after confirming with your passcode. You can change it at any ATM of our partner banks. After three wrong PIN entries the PIN is blocked for 24 hours; it unblocks itself, or you can reset it at an ATM.',
    asks: ['I forgot the PIN of my card', 'entered the PIN wrong three times and now it is blocked'],
  },
  {
    id: 'atm-withdrawal',
    title: 'Cash withdrawals at ATMs and their fees',
    keywords: ['atm', 'cash machine', 'withdraw cash', 'atm fee', 'atm swallowed card', 'cash not dispensed'],
    body: "Cash withdrawals are free up to 200 a month, then 2%. If an ATM did not give you the cash but the amount was taken, the hold is usually reversed by the ATM's bank within 5 business days; if not, send us the date, time and ATM address and we open a dispute. If an ATM kept your card, freeze it in the app.",
    asks: ['the cash machine did not give me money but my balance went down', 'how much does it cost to take out cash abroad'],
  },
  {
    id: 'virtual-card',
    title: 'Virtual cards for online shopping',
    keywords: ['virtual card', 'disposable card', 'online card', 'create virtual card', 'single use card'],
    body: 'Create up to five virtual cards in Cards → New virtual card. They work online and in Apple Pay or Google Pay at once, with their own number and CVC, so you can close one without touching your physical card. A single-use card changes its number after every payment.',
    asks: ['how do i make a virtual card for online shopping', 'can I get a one time card number for a sketchy website'],
  },
  {
    id: 'mobile-wallets',
    title: 'Apple Pay and Google Pay',
    keywords: ['apple pay', 'google pay', 'add card to wallet', 'contactless phone', 'nfc payment'],
    body: 'Add your card in the Wallet app (iPhone) or Google Wallet (Android), or from Cards → Add to wallet in our app. If adding fails, update the app and make sure your phone has a screen lock. Contactless payments with the phone follow your card limits.',
    asks: ['cannot add my card to apple pay', 'google pay says card not supported'],
  },
  {
    id: 'iban-details',
    title: 'Your account details for incoming transfers (IBAN)',
    keywords: ['iban', 'account number', 'bank details', 'swift', 'bic', 'receive transfer', 'salary'],
    body: 'Your IBAN and BIC are in Account → Details; share them to receive transfers and your salary. Transfers in euro arrive within minutes by SEPA Instant or by the next business day; transfers in other currencies by SWIFT take 1–3 business days and the sending bank may charge a fee.',
    asks: ['what is my iban so my employer can pay my salary', 'where can I find my bank details to receive money'],
  },
  {
    id: 'currency-exchange',
    title: 'Currency exchange rates and fees',
    keywords: ['exchange rate', 'currency conversion', 'foreign currency', 'fx fee', 'convert money'],
    body: 'We convert at the interbank rate plus 0.5% on weekdays and 1% on weekends, when markets are closed. Card payments abroad are converted at the moment of payment. Hold several currencies in Wallet → Currencies to avoid converting twice.',
    asks: ['why was i charged more in euros than the rate on google', 'what rate do you use to convert dollars'],
  },
  {
    id: 'fees',
    title: 'Fees and price list',
    keywords: ['fees', 'commission', 'price list', 'charges', 'monthly fee', 'tariff'],
    body: 'The Standard plan has no monthly fee. Transfers within the app are free; SEPA transfers cost 0.50; SWIFT 5. Card delivery is free, a replacement card costs 5. The full price list is in Settings → Plan → Fees, and we announce any change two months ahead.',
    asks: ['what commission do you take for a transfer', 'is there a monthly fee for the account'],
  },
  {
    id: 'savings-interest',
    title: 'Savings account and interest',
    keywords: ['savings', 'interest', 'interest rate', 'savings account', 'deposit account', 'earn interest'],
    body: 'Open a savings pot in Wallet → Savings. Interest is calculated daily and paid monthly; the current rate is shown on the pot. You can move money in and out at any time. Interest is taxable income in most countries; the annual statement lists it.',
    asks: ['how much interest do I get on my savings', 'when is the interest on the savings pot paid'],
  },
  {
    id: 'dispute-transaction',
    title: 'Dispute a card payment you do not recognise',
    keywords: ['dispute', 'unknown transaction', 'unauthorized payment', 'did not make this payment', 'unrecognised charge'],
    body: 'Open the payment in your history and tap Dispute. Tell us what happened: a payment you did not make, a duplicate charge, or goods that never came. Freeze your card first if you think its details were stolen. Disputes take up to 45 days; you may get a temporary credit meanwhile.',
    asks: ['there is a payment on my statement I never made', 'I was charged twice by a shop for one purchase'],
  },
  {
    id: 'account-review',
    title: 'Account under review or funds frozen',
    keywords: ['account review', 'funds frozen', 'account restricted', 'compliance check', 'source of funds'],
    body: 'By law we sometimes have to check where money comes from before it can be used. While the account is under review, incoming and outgoing payments are paused. Answer the questions in the app and upload the documents asked for; most reviews finish within 3 business days.',
    asks: ['my funds are frozen and the app says account under review', 'you restricted my account and want proof of source of funds'],
  },
  {
    id: 'crypto-wrong-network',
    title: 'Crypto deposit sent on the wrong network',
    keywords: ['wrong network', 'crypto deposit', 'usdt', 'trc20', 'erc20', 'deposit not credited', 'wrong chain'],
    body: 'Deposits must use the network shown on the deposit page. Tokens sent on another chain (for example USDT on ERC20 to a TRC20 address) do not arrive by themselves. Send us the transaction hash: recovery is possible for supported networks, takes up to 30 days and costs a fee.',
    asks: ['I sent usdt on erc20 instead of trc20', 'my crypto deposit used the wrong chain, can you recover it'],
  },
  {
    id: 'recurring-payments',
    title: 'Standing orders and scheduled transfers',
    keywords: ['standing order', 'scheduled transfer', 'recurring transfer', 'automatic transfer', 'rent payment'],
    body: 'Set up a standing order in Payments → Scheduled: choose the recipient, amount, first date and how often. It runs at 8:00 on the day; if the balance is too low it retries once at 14:00. Edit or delete it there any time before it runs.',
    asks: ['how to set up an automatic monthly transfer for my rent', 'can I schedule a payment for next friday'],
  },
  {
    id: 'business-account',
    title: 'Business accounts for companies and freelancers',
    keywords: ['business account', 'company account', 'freelancer', 'sole trader', 'open business account'],
    body: 'Business accounts are for registered companies and self-employed people. Apply in the app with your company registration number and the IDs of its directors and owners; most applications are approved in 2 business days. A business account has its own cards, invoices and team access.',
    asks: ['I want to open an account for my company', 'do you have accounts for freelancers and sole traders'],
  },
  {
    id: 'team-access',
    title: 'Give your team access to the business account',
    keywords: ['team member', 'add employee', 'user roles', 'invite colleague', 'team access', 'permissions'],
    body: 'Owners and admins invite team members in Business → Team. Roles: Admin (everything), Accountant (view and export), Employee (own card and expenses). Each person signs in with their own phone; remove someone and their cards are frozen at once.',
    asks: ['how can my accountant get access to the business account', 'invite an employee and give them a card'],
  },
  {
    id: 'api-keys',
    title: 'API keys and webhooks for developers',
    keywords: ['api', 'api key', 'webhook', 'developer', 'integration', 'sandbox api'],
    body: 'Create API keys in Business → Developers; a key is shown once, store it safely. Keys can be read-only or allowed to pay. Webhooks tell your server about payments; check their signature with your webhook secret. A sandbox with test data is available for every business account.',
    asks: ['where do I generate an api key for our integration', 'the webhook signature check fails on our server'],
  },
  {
    id: 'referral-program',
    title: 'Invite friends: referral bonus',
    keywords: ['referral', 'invite friends', 'referral bonus', 'refer a friend', 'invite code'],
    body: "Share your invite link from Profile → Invite friends. When a friend signs up with it, verifies their identity and makes a first card payment within 30 days, you both get 10. Bonuses arrive within 3 days of the friend's payment; up to 20 friends a year.",
    asks: ['my friend signed up with my link but I did not get the bonus', 'how does the invite a friend reward work'],
  },
  {
    id: 'loyalty-points',
    title: 'Loyalty points and cashback',
    keywords: ['cashback', 'loyalty points', 'bonus points', 'rewards', 'points balance'],
    body: 'You earn 1% cashback on card purchases, credited as points on the 5th of the next month. Points pay for orders in the shop (1 point = 1) and expire after 12 months. Transfers, cash withdrawals and gambling do not earn cashback.',
    asks: ['my cashback for last month never showed up', 'do the reward points expire'],
  },
  {
    id: 'student-discount',
    title: 'Student discount',
    keywords: ['student discount', 'student', 'university', 'student id', 'education discount'],
    body: 'Students get 15% off all year. Verify your student status once in Profile → Student with your university email or a photo of your student card; the discount then applies at checkout for 12 months, after which you confirm again.',
    asks: ['do you give a discount for university students', 'my student card was verified but the discount does not show at checkout'],
  },
  {
    id: 'warranty-repair',
    title: 'Warranty and repairs',
    keywords: ['warranty', 'guarantee', 'repair', 'stopped working', 'service centre'],
    body: 'Electronics have a 2-year warranty from the delivery date. If something stops working, start a warranty claim from the order: we arrange a courier to the service centre, repair or replace it within 30 days, and cover shipping both ways. Damage from drops or water is not covered.',
    asks: ['my headphones stopped working after 8 months, is that covered', 'how do i send my laptop for repair under guarantee'],
  },
  {
    id: 'pre-orders',
    title: 'Pre-orders and back-in-stock alerts',
    keywords: ['pre-order', 'preorder', 'out of stock', 'back in stock', 'notify me', 'sold out'],
    body: 'Items not yet released can be pre-ordered; you pay now and the item ships on the release date shown. For sold-out items tap Notify me and we message you when they are back. A pre-order can be cancelled for free until it ships.',
    asks: ['the sneakers are sold out, will you restock them', 'when will my preorder ship'],
  },
  {
    id: 'price-match',
    title: 'Price match and price drops',
    keywords: ['price match', 'cheaper elsewhere', 'price drop', 'lower price', 'price difference'],
    body: 'If the same item is cheaper at a major retailer within 14 days of your purchase, send us a link and we refund the difference. If our own price drops within 14 days, the difference is refunded automatically as points. Marketplace sellers and flash sales are excluded.',
    asks: ['I found the same tv cheaper at another store', 'the price went down two days after I bought it'],
  },
  {
    id: 'notifications',
    title: 'Notifications: turn them on or off',
    keywords: ['notifications', 'push notifications', 'emails', 'newsletter', 'unsubscribe emails', 'too many messages'],
    body: 'Choose what we send in Settings → Notifications: payment alerts, order updates, offers. Security messages cannot be turned off. To stop marketing emails use the unsubscribe link at the bottom of any of them. If push notifications do not come, allow them for the app in your phone settings.',
    asks: ['stop sending me marketing emails', 'i do not get push alerts when i pay with my card'],
  },
  {
    id: 'family-accounts',
    title: 'Family accounts and cards for children',
    keywords: ['family', 'child account', 'kids card', 'teen account', 'parent control'],
    body: 'Parents can open an account for a child aged 7–17 in Profile → Family. The child gets their own card; you set spending limits, block categories and top up pocket money automatically. At 18 the account becomes a regular one.',
    asks: ['can my 12 year old son have his own card', 'how do I set pocket money for my daughter'],
  },
  {
    id: 'tax-statements',
    title: 'Annual statement and tax documents',
    keywords: ['tax statement', 'annual statement', 'tax return', 'tax certificate', 'interest certificate'],
    body: 'The annual statement for the previous year is ready in Documents by 31 January: it lists balances, interest earned and fees paid, which most tax offices accept. For a bank-stamped certificate, request one in Documents → Certificates; it is ready within 2 business days.',
    asks: ['I need documents for my tax return from last year', 'where is the annual statement with the interest I earned'],
  },
];

/** The 34 articles, as the loader would parse them. */
export const FIXTURE_ARTICLES: readonly KbArticle[] = SPECS.map((s) => ({
  id: s.id,
  lang: 'en',
  title: s.title,
  keywords: s.keywords,
  body: s.body,
  path: `fixture/en/${s.id}.md`,
}));

/** Phrasings the fixture articles answer. */
export const FIXTURE_PHRASINGS: readonly Phrasing[] = SPECS.flatMap((s) => s.asks.map((text) => ({ lang: 'en' as const, article: s.id, text })));

/** More questions none of the 50 articles answers (on top of OFF_TOPIC_PHRASINGS). */
export const FIXTURE_OFF_TOPIC: readonly string[] = [
  'are you hiring? I would like to apply for a job',
  'can I bring my dog to your store',
  'what is the weather like in your city',
  'I want to advertise my product in your app',
  'do you sponsor football teams',
  'who is the CEO of your company',
  'my neighbour is too loud at night',
  'recommend me a good book please',
];
