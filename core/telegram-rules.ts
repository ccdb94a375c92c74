/**
 * Rules of the Telegram Bot API that both the sandbox (sandbox/, which refuses
 * what api.telegram.org refuses) and the desk's start-up configuration checks
 * apply, from this one module so the two cannot drift. Each rule names where
 * Telegram states it; the wording of the errors is the Bot API server's
 * (github.com/tdlib/telegram-bot-api, Client.cpp and WebhookActor.cpp; TDLib's
 * td/telegram/misc.cpp for language codes).
 */

/**
 * The General topic of a forum supergroup. Telegram addresses it by omitting
 * `message_thread_id`: sending with `message_thread_id: 1` answers
 * 400 "Bad Request: message thread not found" (Client::check_message_topic).
 */
export const GENERAL_TOPIC_ID = 1;

/** Bot API: "Topic name, 1-128 characters" (createForumTopic, editForumTopic); longer names are cut, not refused. */
export const MAX_TOPIC_NAME_LENGTH = 128;

/** The only ports api.telegram.org delivers webhooks to (WebhookActor::start_up). */
export const WEBHOOK_PORTS: readonly number[] = [443, 80, 88, 8443];

/**
 * A `language_code` setMyCommands, getMyCommands and deleteMyCommands accept:
 * empty (every language without commands of its own) or two lowercase letters,
 * an ISO 639-1 code. Anything else — `pt-br`, `EN`, `eng` — answers
 * 400 "Bad Request: invalid language code specified" (TDLib validate_bot_language_code).
 */
export function isValidCommandLanguage(code: string): boolean {
  return code === '' || /^[a-z]{2}$/.test(code);
}

export const INVALID_COMMAND_LANGUAGE = 'Bad Request: invalid language code specified';

/** IPv4 blocks Telegram refuses to deliver webhooks to (td::IPAddress::is_reserved). */
const RESERVED_IPV4: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 3],
];

function ipv4(address: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + p, 0);
}

function isReservedIpv4(ip: number): boolean {
  return RESERVED_IPV4.some(([base, bits]) => {
    const size = 2 ** (32 - bits);
    return Math.floor(ip / size) === Math.floor(ipv4(base)! / size);
  });
}

/** A setWebhook `url` that does not even parse as an HTTP(S) URL. */
export const INVALID_WEBHOOK_URL = 'Bad Request: invalid webhook URL specified';

export interface WebhookUrlOptions {
  /**
   * A Bot API server in `--local` mode (or the sandbox with `allowInsecureWebhook`):
   * HTTP, any port and local addresses are allowed. api.telegram.org never allows them.
   */
  localMode?: boolean;
}

/**
 * Telegram's answer to `setWebhook` with this URL when it refuses it
 * (the full error description, e.g. "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"),
 * or undefined when it accepts it. Like the Bot API server, a URL without a
 * scheme is taken as HTTPS. Host names are not resolved: only literal addresses
 * (and `localhost`) are checked against Telegram's reserved ranges.
 */
export function webhookUrlProblem(url: string, opts: WebhookUrlOptions = {}): string | undefined {
  const invalid = INVALID_WEBHOOK_URL;
  const bad = (what: string) => `Bad Request: bad webhook: ${what}`;
  let parsed: URL;
  try {
    parsed = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `https://${url}`);
  } catch {
    return invalid;
  }
  if ((parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || parsed.hostname === '') return invalid;
  if (opts.localMode) return undefined;
  if (parsed.protocol === 'http:') return bad('An HTTPS URL must be provided for webhook');
  const port = parsed.port === '' ? 443 : Number(parsed.port);
  if (!WEBHOOK_PORTS.includes(port)) return bad('Webhook can be set up only on ports 80, 88, 443 or 8443');
  const host = parsed.hostname.toLowerCase();
  if (host.startsWith('[')) return bad('IPv6-only addresses are not allowed');
  const address = host === 'localhost' || host.endsWith('.localhost') ? '127.0.0.1' : host;
  const ip = ipv4(address);
  if (ip !== undefined && isReservedIpv4(ip)) return bad(`IP address ${address} is reserved`);
  return undefined;
}
