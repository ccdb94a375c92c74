/**
 * Experiments in the desk (issue 16): the definitions of `EXPERIMENTS_DIR`
 * (analytics/experiments/definition.ts), reloaded when a file changes, and the
 * one lookup every variation point makes:
 *
 *   const variant = await desk.experiments.variantFor('receipt', ticket);
 *
 * It answers the customer's variant of the surface's running experiment (the
 * GrowthBook-compatible assignment of analytics/experiments/assign.ts, with
 * the experiment key as seed and the Telegram user id as hash attribute), or
 * `control` when nothing runs there (or the customer is in the holdout); a
 * stopped experiment with a `winner` gives everyone the winner. The first time a
 * customer meets a running experiment, their variant is stored
 * (experiment_exposures, bot/store/migrations/130) and the
 * `experiment_exposure` event written in the same transaction — exactly once
 * per customer and experiment, whatever restarts or retries happen. Later
 * lookups read the stored variant, so a customer keeps it even when the file's
 * weights change.
 *
 * A surface met outside a ticket (the Mini App's help centre: kb_format) asks
 * `variantForCustomer` — the same stored variant and the same one exposure, the
 * event desk-wide (ticket_id null).
 *
 * A file that does not validate never stops the desk: it is left out, logged
 * once per reload (file and reason, no personal data) and listed by
 * `problems()` (for /experiments).
 */
import type { Logger } from '../../core/log.js';
import type { Db, Queryable } from '../../core/postgres.js';
import { assignVariant } from '../../analytics/experiments/assign.js';
import { type ExperimentDefinition, type ExperimentProblem, loadExperimentsDir, runningOn, type Surface } from '../../analytics/experiments/definition.js';
import { watchMarkdownDir } from '../runtime/watch-dir.js';
import type { Outbox } from '../store/outbox.js';
import type { Ticket } from '../store/types.js';

export type { ExperimentDefinition, ExperimentProblem, Surface };

export const CONTROL = 'control';

export interface ExperimentsOptions {
  dir: string;
  db: Db;
  outbox: Outbox;
  log: Logger;
  /** Re-read the directory when a file changes (default true). */
  watch?: boolean;
  /** When exposures are stamped (tests); default now. */
  clock?: () => Date;
}

export interface ExperimentsSnapshot {
  experiments: readonly ExperimentDefinition[];
  problems: readonly ExperimentProblem[];
  loadedAt: Date;
}

export class DeskExperiments {
  private snapshot: ExperimentsSnapshot = { experiments: [], problems: [], loadedAt: new Date(0) };
  private loading: Promise<ExperimentsSnapshot> | undefined;
  private unwatch: (() => void) | undefined;

  constructor(private readonly o: ExperimentsOptions) {}

  /** Loads the files (once; later calls wait for the same load) and starts watching. */
  open(): Promise<ExperimentsSnapshot> {
    this.loading ??= this.reload().then((s) => {
      if (this.o.watch !== false && !this.unwatch)
        this.unwatch = watchMarkdownDir(this.o.dir, () => void this.reload(), {
          debounceMs: 200,
          log: this.o.log,
          accept: (file) => /\.ya?ml$/.test(file),
        });
      return s;
    });
    return this.loading;
  }

  /** Re-reads the directory; a read that fails keeps the previous definitions. */
  async reload(): Promise<ExperimentsSnapshot> {
    try {
      const { experiments, problems } = await loadExperimentsDir(this.o.dir);
      this.snapshot = { experiments, problems, loadedAt: new Date() };
      for (const p of problems) this.o.log.warn({ file: p.file, problem: p.message }, 'experiment file left out');
      this.o.log.info(
        { running: experiments.filter((e) => e.status === 'running').map((e) => e.key), experiments: experiments.length, problems: problems.length },
        'experiments loaded',
      );
    } catch (err) {
      this.o.log.error({ err, dir: this.o.dir }, 'experiments directory cannot be read; keeping the previous definitions');
    }
    return this.snapshot;
  }

  close(): void {
    this.unwatch?.();
    this.unwatch = undefined;
    this.loading = undefined;
  }

  /** Every valid experiment, as last loaded (file-name order). */
  list(): readonly ExperimentDefinition[] {
    return this.snapshot.experiments;
  }

  /** The files left out and why (for /experiments); empty when every file is valid. */
  problems(): readonly ExperimentProblem[] {
    return this.snapshot.problems;
  }

  /** Experiments, problems and when they were read. */
  current(): ExperimentsSnapshot {
    return this.snapshot;
  }

  /**
   * The ticket's customer's variant of `surface` (see the file comment), exposing them the first
   * time. `at`: when the customer met the surface (a message's Telegram date; default now — a press
   * or a timer), never before the ticket's creation. `tx`: write the exposure with the caller's own
   * state change.
   */
  async variantFor(surface: Surface, ticket: Ticket, o: { at?: Date; tx?: Queryable } = {}): Promise<string> {
    return this.lookup(surface, ticket.customer_id, ticket, o, (q, exposure) =>
      this.o.outbox.appendForTicket(q, ticket, [{ type: 'experiment_exposure', ...exposure }]),
    );
  }

  /**
   * The same lookup for a surface a customer meets outside any ticket (the Mini App's help centre, kb_format):
   * the same stored variant and the same one exposure per customer and experiment, its event desk-wide
   * (ticket_id null; the analysis counts the customer's tickets from then on, stamped to the whole second as Telegram
   * dates the messages that open them). `language`: the customer's.
   */
  async variantForCustomer(surface: Surface, customer: { id: number; language: string | null }, o: { at?: Date; tx?: Queryable } = {}): Promise<string> {
    return this.lookup(surface, customer.id, null, o, (q, exposure) =>
      this.o.outbox.append(q, [
        {
          type: 'experiment_exposure',
          ...exposure,
          ticket_id: null,
          ticket_created_at: null,
          customer_id: customer.id,
          agent_id: null,
          queue: null,
          category: null,
          language: customer.language,
        },
      ]),
    );
  }

  /** The one lookup behind both: the stored variant, or the assignment stored and exposed with `write` once. */
  private async lookup(
    surface: Surface,
    customerId: number,
    ticket: { id: number; created_at: Date } | null,
    o: { at?: Date; tx?: Queryable },
    write: (q: Queryable, exposure: { occurred_at: string; experiment: string; variant: string }) => Promise<void>,
  ): Promise<string> {
    await this.open();
    const def = runningOn(this.snapshot.experiments, surface);
    if (!def) return this.shipped(surface) ?? CONTROL;
    const known = (variant: string | undefined) => (variant !== undefined && def.variants.some((v) => v.name === variant) ? variant : undefined);
    const expose = async (q: Queryable): Promise<string> => {
      const key = [customerId, def.key];
      const stored = await q.query<{ variant: string }>('SELECT variant FROM experiment_exposures WHERE customer_id = $1 AND experiment_key = $2', key);
      // Exposed before: the stored variant, even if the weights changed since (a variant removed from the file: control).
      if (stored.rows.length > 0) return known(stored.rows[0]!.variant) ?? CONTROL;
      const assigned = assignVariant(def, customerId);
      if (!assigned) return CONTROL; // holdout: the desk as it is, never exposed
      const when = (o.at ?? this.now()).getTime();
      // Outside a ticket: to the whole second, as Telegram dates the messages that open tickets — a ticket written in
      // the same second as the exposure counts as after it (the analysis takes tickets created from the exposure on).
      const at = new Date(ticket ? Math.max(when, ticket.created_at.getTime()) : Math.floor(when / 1000) * 1000);
      const fresh = await q.query(
        `INSERT INTO experiment_exposures (customer_id, experiment_key, variant, ticket_id, exposed_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (customer_id, experiment_key) DO NOTHING`,
        [...key, assigned.variant, ticket?.id ?? null, at],
      );
      if (fresh.rowCount === 0) {
        // Another update of the same customer exposed them meanwhile: theirs counts.
        const won = await q.query<{ variant: string }>('SELECT variant FROM experiment_exposures WHERE customer_id = $1 AND experiment_key = $2', key);
        return known(won.rows[0]?.variant) ?? CONTROL;
      }
      await write(q, { occurred_at: at.toISOString(), experiment: def.key, variant: assigned.variant });
      return assigned.variant;
    };
    return o.tx ? expose(o.tx) : this.o.db.transaction(expose);
  }

  /** The variant a stopped experiment shipped on this surface (the latest file by name), if any. */
  private shipped(surface: Surface): string | undefined {
    return this.snapshot.experiments.filter((e) => e.surface === surface && e.status === 'stopped' && e.winner).at(-1)?.winner;
  }

  private now(): Date {
    return this.o.clock?.() ?? new Date();
  }
}
