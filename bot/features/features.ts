/**
 * Builds the service features for one desk: every feature's Composer, in the
 * order they must see updates, and the hooks the desk calls (bot/EXTENSION.md).
 */
import { Composer, Context } from 'grammy';
import type { Message, Update } from 'grammy/types';
import type { BotContext, Desk } from '../context.js';
import type { FeatureHooks } from '../hooks.js';
import { antispamFeature } from './antispam/feature.js';
import { broadcastsFeature } from './broadcasts/feature.js';
import { communityGuardFeature } from './community-guard/feature.js';
import { publishCommands } from './agent-commands/menu.js';
import { loadFeaturesConfig, type FeaturesConfig } from '../runtime/config.js';
import { followupsFeature } from './followups/feature.js';
import { incidentsFeature } from './incidents/feature.js';
import { intakeFeature } from './intake/feature.js';
import { kbFeature } from './kb/feature.js';
import { languageFeature } from './language/feature.js';
import { macrosFeature } from './macros/feature.js';
import { miniappFeature } from './miniapp/feature.js';
import { privacyFeature } from './privacy/feature.js';
import { ratingsFeature } from './ratings/feature.js';
import { secretsFeature } from './secrets/feature.js';
import { trustFeature } from './trust/feature.js';
import { urgentFeature } from './urgent/feature.js';
import { weeklyReportFeature } from './weekly-report/feature.js';
import { FeatureRuntime, type FeaturesOptions } from '../runtime/runtime.js';

export interface Features {
  composer: Composer<BotContext>;
  hooks: FeatureHooks;
  runtime: FeatureRuntime;
  /** Loads the KB and macros and starts the scheduler (idempotent). */
  start(desk: Desk): Promise<void>;
  stop(): Promise<void>;
}

export function createFeatures(config: FeaturesConfig = loadFeaturesConfig(), opts: FeaturesOptions = {}): Features {
  const rt = new FeatureRuntime(config, opts);
  const kb = kbFeature(rt);
  const incidents = incidentsFeature(rt);
  const urgent = urgentFeature(rt);
  const ratings = ratingsFeature(rt);
  const followups = followupsFeature(rt);
  const miniapp = miniappFeature(rt);

  const composer = new Composer<BotContext>();
  // Normally started by the desk at start-up; the first update starts it otherwise.
  composer.use(async (ctx, next) => {
    if (!rt.isStarted) await rt.start(ctx.desk);
    return next();
  });
  // The community chat (COMMUNITY_CHAT_ID) is nobody's ticket: its joins, buttons and messages are the guard's alone.
  composer.use(communityGuardFeature(rt).composer);
  // Fake-account reports before anti-spam: a forwarded phishing message has the links a newcomer's would be held for.
  // The consent step's held messages, once accepted, go through everything again, then the intake.
  composer.use(trustFeature(rt, { replay: (ctx, message) => replayMessage(ctx, message, [composer, intakeFeature(hooks.intakeSteps)]) }));
  // Anti-spam first: what it holds back reaches neither the other features nor the desk.
  composer.use(antispamFeature(rt));
  // Secrets next: a customer's secret is masked before anything relays it; an agent's request for one is held.
  composer.use(secretsFeature());
  composer.use(languageFeature());
  composer.use(privacyFeature(rt));
  composer.use(miniapp.composer);
  composer.use(broadcastsFeature(rt));
  composer.use(incidents.composer);
  // Stop words before the KB: an urgent message skips the article and goes to a person.
  composer.use(urgent.composer);
  composer.use(kb.composer);
  composer.use(ratings.composer);
  composer.use(followups.composer);
  composer.use(macrosFeature(rt));
  composer.use(weeklyReportFeature(rt));

  const started =
    <E>(fn: (e: E, desk: Desk) => Promise<void>) =>
    async (e: E, desk: Desk) => {
      await rt.start(desk);
      await fn(e, desk);
    };
  const hooks: FeatureHooks = {
    // Incidents before the KB: a KB suggestion waits for the customer, and the ticket must be counted first.
    intakeSteps: [incidents.intakeStep, urgent.intakeStep, kb.intakeStep],
    onOpened: [],
    onResolved: [started(ratings.onResolved), started(followups.onResolved)],
    onReopened: [started(followups.onReopened)],
    onStart: [(desk) => rt.start(desk).then(() => publishCommands(desk)), miniapp.onStart],
    onStop: [() => rt.stop(), urgent.onStop],
  };
  return { composer, hooks, runtime: rt, start: (desk) => rt.start(desk), stop: () => rt.stop() };
}

/** A stored customer message as a new update through the given composers, in the pressing customer's context (desk, language). */
async function replayMessage(ctx: BotContext, message: Message, through: readonly Composer<BotContext>[]): Promise<void> {
  const replayed = new Context({ update_id: 0, message } as Update, ctx.api, ctx.me) as BotContext;
  Object.assign(replayed, { desk: ctx.desk, i18n: ctx.i18n, t: ctx.t, translate: ctx.translate });
  await new Composer<BotContext>(...through).middleware()(replayed, async () => undefined);
}
