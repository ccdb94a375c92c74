/**
 * The start-up self-check (issue 18, item 1): before the desk serves anyone it
 * asks Telegram and the stores whether the world it was configured for exists —
 * the token works (getMe), SUPPORT_CHAT_ID is a forum supergroup, the bot is an
 * administrator there with "Manage topics", the escalation chat is reachable,
 * ClickHouse, PostgreSQL and the bus (Kafka, or the embedded log) answer, and
 * Prometheus and Alertmanager answer when PROMETHEUS_URL / ALERTMANAGER_URL name
 * them. Each problem is one line naming the variable, what was found and how to
 * fix it.
 *
 * Two kinds of problem: a wrong world (a wrong id, a group without topics,
 * missing rights, a refused token) is `fail` — the entry points exit non-zero
 * with the lines (SelfCheckError, printed like a ConfigError, no stack); a world
 * that is only out of reach for now (network down, a store, the bus or the
 * monitoring not answering, 5xx) is `degraded` — retried with back-off, shown on /healthz, and the desk runs.
 * `npm run doctor` (scripts/doctor.ts) runs the same checks and prints a table.
 *
 * can_delete_messages and can_pin_messages are not required: no feature of the
 * desk deletes or pins messages in the support group (checked by grep of bot/:
 * no deleteMessage, pinChatMessage or deleteForumTopic calls). The topic per
 * customer needs can_manage_topics.
 */
import { Api, GrammyError, HttpError } from 'grammy';
import type { ChatFullInfo, UserFromGetMe } from 'grammy/types';
import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import type { BusConfig } from '../core/bus/config.js';
import { probeKafka } from '../core/bus/probe.js';
import { ConfigError, defineConfig, env } from '../core/env.js';
import type { HealthCheck } from '../core/http.js';
import type { Logger } from '../core/log.js';
import { selfCheckDegraded } from './metrics.js';

export type CheckStatus = 'ok' | 'fail' | 'degraded' | 'skipped';

export interface CheckResult {
  /** Short name of the check, the doctor table's first column. */
  check: string;
  status: CheckStatus;
  /** The variable a problem is about (SUPPORT_CHAT_ID, BOT_TOKEN, …). */
  variable?: string;
  /** What was found; for a problem, a whole sentence naming the variable, the finding and the fix. */
  detail: string;
}

/**
 * The monitoring the self-check and npm run doctor check when named. Prometheus and Alertmanager are not
 * needed to serve customers: out of reach they are degraded (alerts are late), never fatal.
 */
export const loadSelfCheckConfig = defineConfig('self-check', {
  PROMETHEUS_URL: env.url({
    protocols: ['http:', 'https:'],
    example: 'http://prometheus:9090',
    doc: 'Prometheus that scrapes this desk and evaluates its alert rules: the start-up self-check and npm run doctor check that it answers (GET /-/ready). Unset: not checked (npm start checks the Prometheus it runs itself when it starts it).',
  }),
  ALERTMANAGER_URL: env.url({
    protocols: ['http:', 'https:'],
    example: 'http://alertmanager:9093',
    doc: 'Alertmanager that posts the alerts to /hooks/alertmanager: the start-up self-check and npm run doctor check that it answers (GET /-/ready). Unset: not checked.',
  }),
});
export type SelfCheckConfig = ReturnType<typeof loadSelfCheckConfig>;

/** A store, the bus or the monitoring to probe: a failing probe is `degraded` (it can come back), never fatal. */
export interface StoreProbe {
  check: string;
  variable: string;
  /** Where it is, for the message — never with credentials (see safeOrigin). */
  where: string;
  /** Undefined: not checked (an embedded store the process opens itself), reported as skipped with `skipReason`. */
  probe?: () => Promise<unknown>;
  skipReason?: string;
  /** How to fix it, for the message (default: "start the server or fix <variable>"). */
  fix?: string;
}

export interface SelfCheckOptions {
  /** A plain Bot API client (no retries: the self-check classifies the errors itself). */
  api: Api;
  supportChatId: number;
  escalationChatId: number;
  /** For messages: where the Bot API is (undefined: api.telegram.org). */
  apiRoot?: string | undefined;
  stores?: StoreProbe[];
}

/** The Bot API client the self-check and the doctor use: bounded time per call, no retries. */
export function selfCheckApi(token: string, apiRoot: string | undefined, timeoutSeconds = 10): Api {
  return new Api(token, { ...(apiRoot ? { apiRoot } : {}), timeoutSeconds });
}

/** A URL's scheme, host and port only: user names, passwords and paths stay out of messages. */
export function safeOrigin(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '(unparsable URL)';
  }
}

const TELEGRAM = 'https://api.telegram.org';

function telegramWhere(apiRoot: string | undefined): string {
  return apiRoot ? `the Bot API at ${safeOrigin(apiRoot)}` : `Telegram (${TELEGRAM})`;
}

/** A Bot API failure that can heal by itself: no answer at all, 5xx, or flood control. */
function healable(e: unknown): boolean {
  if (e instanceof HttpError) return true;
  if (e instanceof GrammyError) return e.error_code >= 500 || e.error_code === 429;
  return true; // anything else (timeouts, aborted fetches) is the network, not the configuration
}

function reason(e: unknown): string {
  if (e instanceof GrammyError) return `${e.error_code} ${e.description}`;
  if (e instanceof HttpError) return String((e.error as Error | undefined)?.message ?? e.message);
  // fetch says only "fetch failed"; what happened (ECONNREFUSED, ENOTFOUND) is its cause.
  if (e instanceof TypeError && e.message === 'fetch failed' && e.cause instanceof Error) return e.cause.message;
  return e instanceof Error ? e.message : String(e);
}

function degraded(check: string, variable: string, what: string, e: unknown): CheckResult {
  return { check, status: 'degraded', variable, detail: `${what} does not answer (${reason(e)}): retrying with back-off; check the network` };
}

const skipped = (check: string, why: string): CheckResult => ({ check, status: 'skipped', detail: why });

/** Runs every check once; never throws. */
export async function selfCheck(o: SelfCheckOptions): Promise<CheckResult[]> {
  const results = await telegramChecks(o);
  for (const store of o.stores ?? []) results.push(await storeCheck(store));
  return results;
}

async function telegramChecks(o: SelfCheckOptions): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  const where = telegramWhere(o.apiRoot);
  let me: UserFromGetMe;
  try {
    me = await o.api.getMe();
    out.push({ check: 'bot token (getMe)', status: 'ok', detail: `@${me.username} (id ${me.id})` });
  } catch (e) {
    if (healable(e)) out.push(degraded('bot token (getMe)', 'BOT_TOKEN', where, e));
    else
      out.push({
        check: 'bot token (getMe)',
        status: 'fail',
        variable: 'BOT_TOKEN',
        detail: `BOT_TOKEN is refused by ${where} (${reason(e)}): copy the token again from @BotFather (/mybots → the bot → API Token)`,
      });
    const why = 'not checked: getMe did not succeed';
    out.push(skipped('support chat', why), skipped('bot rights in support chat', why), skipped('escalation chat', why));
    return out;
  }

  const bot = `@${me.username}`;
  const support = o.supportChatId;
  const supportOk = await (async () => {
    let chat: ChatFullInfo;
    try {
      chat = await o.api.getChat(support);
    } catch (e) {
      if (healable(e)) out.push(degraded('support chat', 'SUPPORT_CHAT_ID', where, e));
      else
        out.push({
          check: 'support chat',
          status: 'fail',
          variable: 'SUPPORT_CHAT_ID',
          detail: `SUPPORT_CHAT_ID=${support} is not a chat ${bot} is in (Telegram: "${reason(e)}"): add ${bot} to the support group and set SUPPORT_CHAT_ID to the group's id (-100…)`,
        });
      return false;
    }
    const problem = supportChatProblem(chat, bot);
    if (problem) {
      out.push({ check: 'support chat', status: 'fail', variable: 'SUPPORT_CHAT_ID', detail: `SUPPORT_CHAT_ID=${support} ${problem}` });
      return false;
    }
    out.push({ check: 'support chat', status: 'ok', detail: `"${'title' in chat ? chat.title : ''}", a supergroup with topics` });
    return true;
  })();

  if (!supportOk) out.push(skipped('bot rights in support chat', 'not checked: the support chat is not usable'));
  else {
    try {
      const member = await o.api.getChatMember(support, me.id);
      const problem = rightsProblem(member, bot);
      out.push(
        problem
          ? { check: 'bot rights in support chat', status: 'fail', variable: 'SUPPORT_CHAT_ID', detail: `SUPPORT_CHAT_ID=${support}: ${problem}` }
          : {
              check: 'bot rights in support chat',
              status: 'ok',
              detail: `${member.status} with can_manage_topics (can_delete_messages and can_pin_messages: not needed, no feature deletes or pins)`,
            },
      );
    } catch (e) {
      out.push(
        healable(e)
          ? degraded('bot rights in support chat', 'SUPPORT_CHAT_ID', where, e)
          : {
              check: 'bot rights in support chat',
              status: 'fail',
              variable: 'SUPPORT_CHAT_ID',
              detail: `SUPPORT_CHAT_ID=${support}: Telegram refuses to show ${bot}'s rights there ("${reason(e)}"): make ${bot} an administrator of the group with "Manage topics"`,
            },
      );
    }
  }

  const escalation = o.escalationChatId;
  try {
    const chat = await o.api.getChat(escalation);
    out.push({ check: 'escalation chat', status: 'ok', detail: `"${'title' in chat && chat.title ? chat.title : chat.id}" (${chat.type})` });
  } catch (e) {
    out.push(
      healable(e)
        ? degraded('escalation chat', 'ESCALATION_CHAT_ID', where, e)
        : {
            check: 'escalation chat',
            status: 'fail',
            variable: 'ESCALATION_CHAT_ID',
            detail: `ESCALATION_CHAT_ID=${escalation} is not reachable (Telegram: "${reason(e)}"): add ${bot} to the escalation chat and set ESCALATION_CHAT_ID to its id — otherwise every SLA alert and daily digest is lost`,
          },
    );
  }
  return out;
}

/** What is wrong with the support chat for a desk that opens a topic per customer; undefined when it is a forum supergroup. */
function supportChatProblem(chat: ChatFullInfo, bot: string): string | undefined {
  switch (chat.type) {
    case 'private':
      return `is a private chat, not the support group: set SUPPORT_CHAT_ID to the id of the agents' group (-100…), where ${bot} is an administrator`;
    case 'channel':
      return `is a channel, not a group: create a group for the agents, enable Topics in its settings, make ${bot} an administrator and set SUPPORT_CHAT_ID to its id`;
    case 'group':
      return 'is a basic group without topics: enable Topics in the group settings (Telegram then makes it a supergroup with a new id, -100…) and set SUPPORT_CHAT_ID to the new id';
    default:
      return chat.is_forum ? undefined : 'is a group without topics: enable Topics in the group settings';
  }
}

function rightsProblem(member: Awaited<ReturnType<Api['getChatMember']>>, bot: string): string | undefined {
  if (member.status === 'creator') return undefined;
  if (member.status !== 'administrator')
    return `${bot} is not an administrator there (status: ${member.status}): promote it to administrator with the right "Manage topics" — the desk opens a topic per customer`;
  if (!member.can_manage_topics)
    return `${bot} is an administrator without the right "Manage topics" (can_manage_topics): enable "Manage topics" in its administrator rights — the desk opens a topic per customer`;
  return undefined;
}

async function storeCheck(s: StoreProbe): Promise<CheckResult> {
  if (!s.probe) return skipped(s.check, s.skipReason ?? 'not checked');
  try {
    await s.probe();
    return { check: s.check, status: 'ok', detail: `answers (${s.where})` };
  } catch (e) {
    return {
      check: s.check,
      status: 'degraded',
      variable: s.variable,
      detail: `${s.variable} (${s.where}) does not answer (${reason(e)}): retrying with back-off; ${s.fix ?? `start the server or fix ${s.variable}`}`,
    };
  }
}

/** The problems as lines, one per problem (fatal first). */
export function problemLines(results: readonly CheckResult[]): string[] {
  const rank = (r: CheckResult) => (r.status === 'fail' ? 0 : 1);
  return results
    .filter((r) => r.status === 'fail' || r.status === 'degraded')
    .sort((a, b) => rank(a) - rank(b))
    .map((r) => (r.status === 'degraded' ? `(degraded) ${r.detail}` : r.detail));
}

/**
 * The fatal problems of a self-check, for runMain: a ConfigError (printed as "error: …", exit code 2, no stack)
 * whose message is one line per problem.
 */
export class SelfCheckError extends ConfigError {
  constructor(readonly results: readonly CheckResult[]) {
    const fatal = results.filter((r) => r.status === 'fail');
    super(fatal[0]?.variable ?? 'self-check', 'failed');
    this.name = 'SelfCheckError';
    this.message = [
      `the start-up self-check found ${fatal.length === 1 ? 'a problem' : `${fatal.length} problems`} (npm run doctor shows every check):`,
      ...fatal.map((r) => `  ${r.detail}`),
    ].join('\n');
  }
}

/** A table: check | status | detail, columns padded; for npm run doctor. */
export function formatTable(results: readonly CheckResult[]): string {
  const rows = [['check', 'status', 'detail'], ...results.map((r) => [r.check, r.status, r.detail])];
  const w0 = Math.max(...rows.map((r) => r[0]!.length));
  const w1 = Math.max(...rows.map((r) => r[1]!.length));
  const line = (r: string[]) => `${r[0]!.padEnd(w0)} | ${r[1]!.padEnd(w1)} | ${r[2]}`;
  return [line(rows[0]!), `${'-'.repeat(w0)}-+-${'-'.repeat(w1)}-+-${'-'.repeat(8)}`, ...rows.slice(1).map(line)].join('\n');
}

export interface StartupCheckOptions extends SelfCheckOptions {
  log: Logger;
  /** Back-off of the retries of healable problems: first delay, cap, and how many retries before the desk starts degraded. */
  retry?: { firstMs?: number; maxMs?: number; attemptsBeforeStart?: number };
}

export interface SelfCheckMonitor {
  /** The last results. */
  results(): readonly CheckResult[];
  /** For /healthz: undefined when all is well, else the problems, one per line. */
  problem(): string | undefined;
  /**
   * The /healthz check: degraded while a check is out of reach, its reason naming the checks (fixed names such
   * as "bus" or "Prometheus", never error text); the problem lines go to the log only.
   */
  health: HealthCheck;
  stop(): void;
}

/** /healthz's reason for degraded checks: which ones, never what they answered (that is in the log and the doctor). */
export function degradedReason(results: readonly CheckResult[]): string | undefined {
  const names = results.filter((r) => r.status === 'degraded').map((r) => r.check);
  return names.length ? `out of reach, retried with back-off: ${names.join(', ')} (npm run doctor says why and how to fix it)` : undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The entry points' self-check: fatal problems throw SelfCheckError; healable ones are retried with back-off
 * (a few times before the start, then in the background until healed) and reported as degraded — logged, on
 * /healthz through the returned monitor's problem(), and as desk_self_check_degraded (alert DeskDegraded).
 */
export async function startupSelfCheck(o: StartupCheckOptions): Promise<SelfCheckMonitor> {
  const firstMs = o.retry?.firstMs ?? 1000;
  const maxMs = o.retry?.maxMs ?? 60_000;
  const attempts = o.retry?.attemptsBeforeStart ?? 3;
  let results: CheckResult[] = [];
  const run = async () => {
    results = await selfCheck(o);
    for (const r of results) selfCheckDegraded.set({ check: r.check }, r.status === 'degraded' ? 1 : 0);
  };
  await run();
  let delay = firstMs;
  for (let i = 0; i < attempts && !results.some((r) => r.status === 'fail') && results.some((r) => r.status === 'degraded'); i++) {
    o.log.warn({ problems: problemLines(results), retryInMs: delay }, 'self-check: degraded, retrying');
    await sleep(delay);
    delay = Math.min(delay * 2, maxMs);
    await run();
  }
  if (results.some((r) => r.status === 'fail')) throw new SelfCheckError(results);

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const loop = () => {
    if (stopped || !results.some((r) => r.status === 'degraded')) return;
    timer = setTimeout(async () => {
      await run();
      const lines = problemLines(results);
      if (lines.length === 0) o.log.info('self-check: every check passes again');
      else if (results.some((r) => r.status === 'fail')) o.log.error({ problems: lines }, 'self-check: a problem the desk cannot heal (run npm run doctor)');
      else o.log.warn({ problems: lines, retryInMs: delay }, 'self-check: still degraded');
      delay = Math.min(delay * 2, maxMs);
      loop();
    }, delay);
    timer.unref();
  };
  if (results.some((r) => r.status === 'degraded')) {
    o.log.warn({ problems: problemLines(results) }, 'self-check: starting degraded; retrying in the background');
    loop();
  } else o.log.info({ checks: results.filter((r) => r.status === 'ok').length }, 'self-check passed');
  return {
    results: () => results,
    problem: () => {
      const lines = problemLines(results);
      return lines.length ? lines.join('\n') : undefined;
    },
    health: async () => {
      const reason = degradedReason(results);
      return reason ? { state: 'degraded', reason, detail: problemLines(results).join('\n') } : undefined;
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/** The probes of the desk's two stores as the entry points have them open: a SELECT 1 each. */
export function storeProbes(o: {
  db: { query(sql: string): Promise<unknown> };
  ch: { client: { query(q: { query: string; format: 'JSONEachRow' }): Promise<{ json(): Promise<unknown> }> } };
  databaseUrl: string | undefined;
  clickhouseUrl: string | undefined;
}): StoreProbe[] {
  return [
    {
      check: 'PostgreSQL',
      variable: 'DATABASE_URL',
      where: o.databaseUrl ? safeOrigin(o.databaseUrl) : 'PGlite, embedded',
      probe: () => o.db.query('SELECT 1'),
    },
    {
      check: 'ClickHouse',
      variable: 'CLICKHOUSE_URL',
      where: o.clickhouseUrl ? safeOrigin(o.clickhouseUrl) : 'chDB, embedded',
      probe: async () => (await o.ch.client.query({ query: 'SELECT 1', format: 'JSONEachRow' })).json(),
    },
  ];
}

/**
 * The bus as the process uses it: Kafka — a metadata request to KAFKA_BROKERS (no retries, a few seconds at
 * most) — or, without KAFKA_BROKERS, the embedded log's directory, which must be writable. `embedded: 'skip'`
 * (npm run doctor): the embedded log belongs to the process that runs it and is not checked from outside.
 */
export function busProbe(config: Pick<BusConfig, 'KAFKA_BROKERS' | 'KAFKA_CLIENT_ID' | 'DATA_DIR'>, o: { embedded?: 'check' | 'skip' } = {}): StoreProbe {
  if (config.KAFKA_BROKERS.length > 0) {
    const brokers = config.KAFKA_BROKERS;
    return {
      check: 'bus',
      variable: 'KAFKA_BROKERS',
      where: `Kafka at ${brokers.join(',')}`,
      probe: () => probeKafka({ brokers, clientId: config.KAFKA_CLIENT_ID }),
    };
  }
  const dir = join(config.DATA_DIR, 'bus');
  const where = `embedded log in ${dir}`;
  if (o.embedded === 'skip')
    return {
      check: 'bus',
      variable: 'KAFKA_BROKERS',
      where,
      skipReason: `embedded log in ${dir} (KAFKA_BROKERS unset): opened by the desk itself, not checked here`,
    };
  return {
    check: 'bus',
    variable: 'DATA_DIR',
    where,
    probe: () => access(dir, constants.W_OK),
    fix: `make ${dir} writable for the desk, or set KAFKA_BROKERS`,
  };
}

/** Prometheus and Alertmanager when their URLs are set (GET /-/ready answers 200 once they serve); skipped otherwise. */
export function monitoringProbes(config: Partial<SelfCheckConfig>, timeoutMs = 5000): StoreProbe[] {
  const probe = (check: string, variable: string, url: string | undefined): StoreProbe => {
    if (!url) return { check, variable, where: '', skipReason: `${variable} unset: not checked` };
    return {
      check,
      variable,
      where: safeOrigin(url),
      probe: async () => {
        const ready = new URL('-/ready', url.endsWith('/') ? url : `${url}/`);
        // Credentials in the URL (a proxy's basic auth) go in the header: fetch refuses them in the URL, and
        // its error would print the URL with them.
        const headers: Record<string, string> = {};
        if (ready.username || ready.password) {
          const basic = `${decodeURIComponent(ready.username)}:${decodeURIComponent(ready.password)}`;
          headers.authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
          ready.username = '';
          ready.password = '';
        }
        const res = await fetch(ready, { headers, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
        await res.body?.cancel();
        if (res.status !== 200)
          throw new Error(`GET ${ready.pathname} answered ${res.status}${res.status === 404 ? `, not ${check}'s readiness endpoint` : ''}`);
      },
    };
  };
  return [probe('Prometheus', 'PROMETHEUS_URL', config.PROMETHEUS_URL), probe('Alertmanager', 'ALERTMANAGER_URL', config.ALERTMANAGER_URL)];
}
