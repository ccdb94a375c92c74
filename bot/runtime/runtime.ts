/**
 * The features' shared state for one desk: configuration, the knowledge base,
 * the macro library and the scheduler. Created once per process (index.ts)
 * or per test; `start(desk)` loads the files and starts the scheduler,
 * `stop()` undoes it. Nothing happens at import time.
 */
import { logger } from '../../core/log.js';
import type { Desk } from '../context.js';
import type { FeaturesConfig } from './config.js';
import { KnowledgeBase } from '../features/kb/knowledge-base.js';
import { MacroLibrary } from '../features/macros/library.js';
import { Scheduler } from '../scheduler/scheduler.js';

const log = logger('features');

export interface FeaturesOptions {
  /** Injectable time for the scheduler and every event the features stamp with "now". */
  clock?: () => Date;
  /** Don't poll: tests drive `scheduler.runDue()` themselves. */
  manualScheduler?: boolean;
  /** Watch KB and macro files for changes (default true). */
  watchFiles?: boolean;
}

/** Registers a feature's jobs and sweeps once the scheduler exists. */
export type SchedulerSetup = (scheduler: Scheduler, runtime: FeatureRuntime, desk: Desk) => void;

export class FeatureRuntime {
  readonly clock: () => Date;
  private loaded: Promise<{ kb: KnowledgeBase; macros: MacroLibrary }> | undefined;
  private started: Promise<void> | undefined;
  private sched: Scheduler | undefined;
  private deskRef: Desk | undefined;
  private readonly setups: SchedulerSetup[] = [];

  constructor(
    readonly config: FeaturesConfig,
    private readonly o: FeaturesOptions = {},
  ) {
    this.clock = o.clock ?? (() => new Date());
  }

  /** The knowledge base and macros, loaded on first use. */
  files(): Promise<{ kb: KnowledgeBase; macros: MacroLibrary }> {
    this.loaded ??= (async () => {
      const watch = this.o.watchFiles !== false;
      const [kb, macros] = await Promise.all([KnowledgeBase.open({ dir: this.config.kbDir, watch }), MacroLibrary.open(this.config.macrosDir, { watch })]);
      return { kb, macros };
    })();
    return this.loaded;
  }

  onScheduler(setup: SchedulerSetup): void {
    this.setups.push(setup);
  }

  get scheduler(): Scheduler {
    if (!this.sched) throw new Error('features not started: call start(desk) first');
    return this.sched;
  }

  get desk(): Desk {
    if (!this.deskRef) throw new Error('features not started: call start(desk) first');
    return this.deskRef;
  }

  /** Whether files (KB, macros, stop words) are watched for changes. */
  get watchFiles(): boolean {
    return this.o.watchFiles !== false;
  }

  get isStarted(): boolean {
    return this.sched !== undefined;
  }

  /** Idempotent: the desk calls it at start-up, and the first update calls it too in case it did not. */
  start(desk: Desk): Promise<void> {
    this.started ??= (async () => {
      this.deskRef = desk;
      await this.files();
      const scheduler = new Scheduler(desk.db, { pollMs: this.config.schedulerPollMs, clock: this.clock });
      for (const s of this.setups) s(scheduler, this, desk);
      this.sched = scheduler;
      if (!this.o.manualScheduler) scheduler.start();
      log.info('service features started');
    })();
    return this.started;
  }

  async stop(): Promise<void> {
    await this.sched?.stop();
    if (this.loaded) {
      const { kb, macros } = await this.loaded;
      kb.close();
      macros.close();
    }
    this.loaded = undefined;
    this.started = undefined;
    this.sched = undefined;
  }
}
