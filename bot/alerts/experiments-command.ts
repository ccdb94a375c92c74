/**
 * `/experiments` in the escalation chat (team leads: bot/roles.ts action `config`): one screen of every
 * experiment file — status, customers exposed per variant (the desk's own record of first exposures,
 * `experiment_exposures`), the sample-ratio check, and where the process has ClickHouse the primary metric's
 * result (variant vs control, 95 % interval, p and always-valid p, the MDE and the days still needed:
 * analytics/experiments/analysis.ts, the numbers the dashboard shows) — and the files left out with their
 * reason. A stopped experiment's winner is shipped by editing its file (`winner: <variant>`).
 */
import { experimentResults, type ExperimentResults } from '../../analytics/experiments/analysis.js';
import type { ExperimentDefinition, ExperimentProblem } from '../../analytics/experiments/definition.js';
import { srm } from '../../analytics/experiments/stats/srm.js';
import type { QueryRunner } from '../../analytics/query.js';
import type { BotContext } from '../context.js';
import { escapeHtml } from '../telegram/present.js';
import { inThread } from '../telegram/update.js';
import type { Text } from './format.js';

let analytics: QueryRunner | undefined;
/** Gives /experiments the analytics (the process's ClickHouse); without it the summary shows exposures only. */
export function useExperimentAnalytics(run: QueryRunner | undefined): void {
  analytics = run;
}

export interface ExperimentLine {
  def: ExperimentDefinition;
  /** Customers first exposed, per variant name. */
  exposed: Record<string, number>;
  results?: ExperimentResults | undefined;
}

const fmt = (x: number, digits = 2) => x.toLocaleString('en-US', { maximumFractionDigits: digits });
/** A p-value as HTML text. */
const pv = (p: number | null) => (p === null ? '—' : p < 0.001 ? '&lt; 0.001' : p.toFixed(3));
const signed = (x: number, digits = 2) => `${x > 0 ? '+' : ''}${fmt(x, digits)}`;

/** The summary, as HTML (every name from a file escaped). */
export function renderExperiments(lines: readonly ExperimentLine[], problems: readonly ExperimentProblem[], t: Text): string {
  const out: string[] = [t('experiments-header')];
  if (lines.length === 0) out.push(t('experiments-none'));
  for (const { def, exposed, results } of lines) {
    const total = def.variants.reduce((s, v) => s + (exposed[v.name] ?? 0), 0);
    const split = def.variants.map((v) => `${escapeHtml(v.name)} ${fmt(exposed[v.name] ?? 0, 0)}`).join(' · ');
    const status = def.winner ? t('experiments-shipped', { variant: escapeHtml(def.winner) }) : escapeHtml(def.status);
    out.push('', `<b>${escapeHtml(def.key)}</b> · ${escapeHtml(def.surface)} · ${status}`, t('experiments-customers', { total: fmt(total, 0), split }));
    const check = srm(
      def.variants.map((v) => exposed[v.name] ?? 0),
      def.variants.map((v) => v.weight),
    );
    if (check.mismatch) out.push(t('experiments-srm', { p: pv(check.pValue) }));
    if (!results) continue;
    const primary = results.experiment.primary_metric;
    for (const c of results.comparisons.filter((x) => x.metric === primary)) {
      if (c.p_value === null || c.diff === null || c.ci_low === null || c.ci_high === null)
        out.push(t('experiments-insufficient', { metric: escapeHtml(primary), variant: escapeHtml(c.variant), reason: escapeHtml(c.reason ?? '') }));
      else
        out.push(
          t('experiments-result', {
            metric: escapeHtml(primary),
            variant: escapeHtml(c.variant),
            value: fmt(c.value ?? 0, 3),
            baseline: fmt(c.baseline_value ?? 0, 3),
            diff: signed(c.diff, 3),
            rel: c.rel_diff === null ? '—' : `${signed(100 * c.rel_diff, 1)} %`,
            low: signed(c.ci_low, 3),
            high: signed(c.ci_high, 3),
            p: pv(c.p_value),
            seq: pv(c.sequential_p_value),
          }),
        );
    }
    const pw = results.experiment.power;
    if (pw.mde_relative !== null)
      out.push(
        pw.days_needed === 0
          ? t('experiments-power-reached', { mde: fmt(100 * pw.mde_relative, 1) })
          : t('experiments-power', {
              mde: fmt(100 * pw.mde_relative, 1),
              days: pw.days_needed === null ? '?' : fmt(pw.days_needed, 1),
              target: fmt(100 * pw.target_effect, 0),
            }),
      );
  }
  if (problems.length) {
    out.push('', t('experiments-problems'));
    for (const p of problems) out.push(`• <code>${escapeHtml(p.file)}</code> — ${escapeHtml(p.message)}`);
  }
  return out.join('\n');
}

/** `/experiments`: authorised by the role guard (team leads). */
export async function answerExperiments(ctx: BotContext, now: Date = new Date()): Promise<void> {
  const desk = ctx.desk;
  // the files as loaded (open() waits for the first load where the desk has not started yet)
  const { experiments, problems } = await desk.experiments.open().then(() => desk.experiments.current());
  const rows = (
    await desk.db.query<{ experiment_key: string; variant: string; n: string | number }>(
      'SELECT experiment_key, variant, count(*) AS n FROM experiment_exposures GROUP BY experiment_key, variant',
    )
  ).rows;
  const lines: ExperimentLine[] = [];
  for (const def of experiments) {
    const exposed: Record<string, number> = {};
    for (const r of rows) if (r.experiment_key === def.key) exposed[r.variant] = Number(r.n);
    let results: ExperimentResults | undefined;
    if (analytics && def.status !== 'draft') {
      try {
        results = await experimentResults(analytics, def, { from: new Date(now.getTime() - 90 * 86_400_000), to: now }, now);
      } catch {
        // ClickHouse out of reach: the exposures still answer
        results = undefined;
      }
    }
    lines.push({ def, exposed, results });
  }
  await ctx.reply(renderExperiments(lines, problems, desk.agentText), {
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
    ...inThread(ctx),
  });
}
