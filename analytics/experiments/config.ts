/**
 * Where the experiment files live: read by the bot (assignment, exposure,
 * `/experiments`) and the dashboard (analysis). Declared once here, under
 * analytics/, which both may import.
 */
import { defineConfig, env } from '../../core/env.js';

export const loadExperimentsConfig = defineConfig('experiments', {
  EXPERIMENTS_DIR: env.string({
    default: 'experiments',
    doc: 'A/B tests as YAML files, one per experiment (experiments/README.md): key, surface, variants, metrics, status, holdout. Reloaded on change; an invalid file is left out with a warning (log and /experiments), the rest keep running.',
  }),
});
