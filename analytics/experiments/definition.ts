/**
 * What an experiment is, as its YAML file in `EXPERIMENTS_DIR` says — parsed and
 * validated here, once, for the bot (assignment, exposure), the dashboard
 * (analysis) and `/experiments` (the problems). Pure: no I/O but
 * `loadExperimentsDir`, which only reads the files.
 *
 * Problems never throw: a bad file is left out with a problem naming the file,
 * the field and the reason, and the rest keep running. Two running experiments
 * on one surface are BOTH left out (each file's problem names the other), and
 * so are two files with one key: no order of file names decides which test
 * gets the customers, the bot and the dashboard agree, and the surface shows
 * its control until a file is fixed — customers keep their stored variants
 * when the survivor runs again.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parse as parseYaml } from 'yaml';
import { METRICS } from '../registry.js';

export const SURFACES = ['receipt', 'question_order', 'kb_format', 'notifications', 'survey_timing'] as const;
export type Surface = (typeof SURFACES)[number];
export const STATUSES = ['draft', 'running', 'stopped'] as const;

/**
 * The behaviours each surface can show, by variant name: `control` is what the
 * desk does with no experiment (and what a holdout sees); a file's first
 * variant must be `control`, the others are named from this list.
 */
export const SURFACE_VARIANTS: Readonly<Record<Surface, readonly string[]>> = {
  /** control: short, with the ETA and a status button; steps: what happens next, step by step. */
  receipt: ['control', 'steps'],
  /** control: the KB suggestion before the category keyboard; category_first: the category, then the suggestion. */
  question_order: ['control', 'category_first'],
  /** control: the best article as a card (Solved / Talk to a human); search: the matching questions to pick from. */
  kb_format: ['control', 'search'],
  /** control: a short message at each status change the desk announces; summary: one summary at resolution. */
  notifications: ['control', 'summary'],
  /** control: the rating right at resolution; delayed: SURVEY_DELAY later (the scheduler). */
  survey_timing: ['control', 'delayed'],
};
export type ExperimentStatus = (typeof STATUSES)[number];

export interface ExperimentVariant {
  name: string;
  weight: number;
}

export interface ExperimentDefinition {
  /** Unique, `[a-z0-9-]`; GrowthBook's seed and tracking key. */
  key: string;
  surface: Surface;
  /** The first is the control. Weights are relative (normalised when assigning). */
  variants: ExperimentVariant[];
  /** Metric keys of `analytics/registry.ts`; the first is the primary. */
  metrics: string[];
  status: ExperimentStatus;
  /** Share of customers kept out (they see the control and are not exposed), 0 ≤ holdout < 1. */
  holdout?: number;
  /** The file it came from, relative to the directory. */
  file: string;
  /** Free text from the file (what is tested, why). */
  description?: string;
  /** A stopped experiment's shipped variant: every customer gets it, nobody is exposed. */
  winner?: string;
}

export interface ExperimentProblem {
  file: string;
  message: string;
}

const KEY = '^[a-z0-9][a-z0-9-]{0,62}$';
const NAME = '^[a-z0-9][a-z0-9_-]{0,31}$';

/** The file's schema: unknown fields are refused (a typo would otherwise be silently ignored). */
export const ExperimentFile = Type.Object(
  {
    key: Type.String({ pattern: KEY }),
    surface: Type.Union(SURFACES.map((s) => Type.Literal(s))),
    variants: Type.Array(Type.Object({ name: Type.String({ pattern: NAME }), weight: Type.Number({ exclusiveMinimum: 0 }) }, { additionalProperties: false }), {
      minItems: 2,
      maxItems: 10,
    }),
    metrics: Type.Array(Type.String(), { minItems: 1 }),
    status: Type.Union(STATUSES.map((s) => Type.Literal(s))),
    holdout: Type.Optional(Type.Number({ minimum: 0, exclusiveMaximum: 1 })),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    winner: Type.Optional(Type.String({ pattern: NAME })),
  },
  { additionalProperties: false },
);
export type ExperimentFile = Static<typeof ExperimentFile>;

const EXTENSION = /\.ya?ml$/;

/** One readable reason per schema error: `variants.1.weight: must be > 0`. */
function schemaProblems(value: unknown): string[] {
  const out: string[] = [];
  for (const e of Value.Errors(ExperimentFile, value)) {
    const field = e.path.replace(/^\//, '').replaceAll('/', '.') || '(file)';
    let reason = e.message;
    const schema = e.schema as { pattern?: string; exclusiveMinimum?: number; anyOf?: { const?: unknown }[] };
    if (field === 'surface') reason = `unknown surface ${JSON.stringify(e.value)} (one of ${SURFACES.join(', ')})`;
    else if (field === 'status') reason = `unknown status ${JSON.stringify(e.value)} (one of ${STATUSES.join(', ')})`;
    else if (schema.exclusiveMinimum === 0) reason = `must be greater than 0 (got ${JSON.stringify(e.value)})`;
    else if (schema.pattern === KEY) reason = 'must be lower-case letters, digits and "-"';
    else if (schema.pattern === NAME) reason = 'must be lower-case letters, digits, "-" and "_"';
    else if (e.message.startsWith('Unexpected property')) reason = 'unknown field';
    out.push(`${field}: ${reason}`);
    if (out.length >= 5) break;
  }
  return [...new Set(out)];
}

/**
 * Validates files' texts into definitions. `metrics` is the set of known metric
 * keys (default: the registry's). Files are taken in file-name order.
 */
export function parseExperiments(
  files: { file: string; text: string }[],
  o: { metrics?: { has(key: string): boolean } } = {},
): { experiments: ExperimentDefinition[]; problems: ExperimentProblem[] } {
  const known = o.metrics ?? METRICS;
  const experiments: ExperimentDefinition[] = [];
  const problems: ExperimentProblem[] = [];
  const valid: ExperimentDefinition[] = [];
  for (const { file, text } of [...files].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) {
    let doc: unknown;
    try {
      doc = parseYaml(text, { prettyErrors: true, uniqueKeys: true });
    } catch (e) {
      const m = e as { linePos?: { line: number; col: number }[]; code?: string };
      const at = m.linePos?.[0] ? ` at line ${m.linePos[0].line}, column ${m.linePos[0].col}` : '';
      problems.push({ file, message: `malformed YAML${at}${m.code ? ` (${m.code})` : ''}` });
      continue;
    }
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
      problems.push({ file, message: '(file): must be a mapping of key, surface, variants, metrics, status' });
      continue;
    }
    const errors = schemaProblems(doc);
    if (errors.length) {
      problems.push({ file, message: errors.join('; ') });
      continue;
    }
    const f = doc as ExperimentFile;
    const reasons: string[] = [];
    const unknown = f.metrics.filter((m) => !known.has(m));
    if (unknown.length) reasons.push(`metrics: unknown metric ${unknown.map((m) => JSON.stringify(m)).join(', ')}`);
    const names = f.variants.map((v) => v.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) reasons.push(`variants: the name ${JSON.stringify(dup)} is used twice`);
    if (names[0] !== 'control') reasons.push(`variants.0.name: the first variant must be "control" (got ${JSON.stringify(names[0])})`);
    const behaviours = SURFACE_VARIANTS[f.surface];
    const strange = names.filter((n) => !behaviours.includes(n));
    if (strange.length)
      reasons.push(`variants: ${strange.map((n) => JSON.stringify(n)).join(', ')} is not a behaviour of ${f.surface} (one of ${behaviours.join(', ')})`);
    if (f.winner !== undefined && !names.includes(f.winner)) reasons.push(`winner: ${JSON.stringify(f.winner)} is not one of the variants`);
    if (f.winner !== undefined && f.status !== 'stopped') reasons.push('winner: only a stopped experiment ships a winner');
    if (reasons.length) {
      problems.push({ file, message: reasons.join('; ') });
      continue;
    }
    const def: ExperimentDefinition = {
      key: f.key,
      surface: f.surface,
      variants: f.variants.map((v) => ({ name: v.name, weight: v.weight })),
      metrics: [...f.metrics],
      status: f.status,
      file,
      ...(f.holdout !== undefined && f.holdout > 0 ? { holdout: f.holdout } : {}),
      ...(f.description !== undefined ? { description: f.description } : {}),
      ...(f.winner !== undefined ? { winner: f.winner } : {}),
    };
    valid.push(def);
  }
  // Collisions leave every file involved out (see the file comment), in file order.
  for (const def of valid) {
    const reasons: string[] = [];
    const sameKey = valid.filter((d) => d !== def && d.key === def.key);
    if (sameKey.length) reasons.push(`key: ${JSON.stringify(def.key)} is also used by ${sameKey.map((d) => d.file).join(', ')}; both are left out`);
    const clash = def.status === 'running' ? valid.filter((d) => d !== def && d.status === 'running' && d.surface === def.surface) : [];
    if (clash.length)
      reasons.push(
        `surface: ${clash.map((d) => `${d.key} (${d.file})`).join(', ')} also runs on ${def.surface}; at most one running experiment per surface — both are left out`,
      );
    if (reasons.length) problems.push({ file: def.file, message: reasons.join('; ') });
    else experiments.push(def);
  }
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { experiments, problems };
}

/** Reads every `*.yaml` / `*.yml` directly in `dir` (a missing directory: no experiments, no problem). */
export async function loadExperimentsDir(dir: string): Promise<{ experiments: ExperimentDefinition[]; problems: ExperimentProblem[] }> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && EXTENSION.test(e.name)).map((e) => e.name);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { experiments: [], problems: [] };
    throw e;
  }
  const files: { file: string; text: string }[] = [];
  const problems: ExperimentProblem[] = [];
  for (const file of names) {
    try {
      files.push({ file, text: await readFile(join(dir, file), 'utf8') });
    } catch (e) {
      problems.push({ file, message: `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` });
    }
  }
  const parsed = parseExperiments(files);
  return { experiments: parsed.experiments, problems: [...problems, ...parsed.problems] };
}

/** The running experiment on a surface, if any. */
export function runningOn(experiments: readonly ExperimentDefinition[], surface: Surface): ExperimentDefinition | undefined {
  return experiments.find((e) => e.surface === surface && e.status === 'running');
}
