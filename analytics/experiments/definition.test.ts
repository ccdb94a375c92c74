import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperimentsDir, parseExperiments } from './definition.js';

const GOOD = `key: receipt-style
surface: receipt
variants:
  - { name: control, weight: 1 }
  - { name: steps, weight: 1 }
metrics: [csat_avg, repeat_contact_rate]
status: running
`;
const one = (file: string, text: string) => parseExperiments([{ file, text }]);

describe('parseExperiments', () => {
  it('reads a valid file', () => {
    const r = one('receipt-style.yaml', `${GOOD}holdout: 0.1\n`);
    expect(r.problems).toEqual([]);
    expect(r.experiments).toEqual([
      {
        key: 'receipt-style',
        surface: 'receipt',
        variants: [
          { name: 'control', weight: 1 },
          { name: 'steps', weight: 1 },
        ],
        metrics: ['csat_avg', 'repeat_contact_rate'],
        status: 'running',
        holdout: 0.1,
        file: 'receipt-style.yaml',
      },
    ]);
  });

  it.each([
    ['malformed YAML', 'key: [unclosed\n', /^malformed YAML at line \d+/],
    ['not a mapping', '- a\n- b\n', /must be a mapping/],
    ['unknown surface', GOOD.replace('surface: receipt', 'surface: banner'), /^surface: unknown surface "banner" \(one of receipt, /],
    ['weight 0', GOOD.replace('weight: 1 }\n  - { name: steps', 'weight: 0 }\n  - { name: steps'), /^variants\.0\.weight: must be greater than 0 \(got 0\)/],
    ['negative weight', GOOD.replace('steps, weight: 1', 'steps, weight: -2'), /^variants\.1\.weight: must be greater than 0 \(got -2\)/],
    ['unknown metric', GOOD.replace('csat_avg', 'happiness'), /^metrics: unknown metric "happiness"/],
    ['bad key', GOOD.replace('key: receipt-style', 'key: Receipt Style'), /^key: must be lower-case/],
    ['unknown status', GOOD.replace('status: running', 'status: live'), /^status: unknown status "live"/],
    ['one variant', GOOD.replace('  - { name: steps, weight: 1 }\n', ''), /^variants: /],
    ['typo in a field', `${GOOD}holdot: 0.1\n`, /^holdot: unknown field/],
    ['holdout 1', `${GOOD}holdout: 1\n`, /^holdout: /],
    ['variant named twice', GOOD.replace('name: steps', 'name: control'), /^variants: the name "control" is used twice/],
    ['control not first', GOOD.replace('name: control', 'name: steps2'), /^variants\.0\.name: the first variant must be "control"/],
    ['a behaviour the surface lacks', GOOD.replace('name: steps', 'name: emoji'), /^variants: "emoji" is not a behaviour of receipt \(one of control, steps\)/],
    ['winner while running', `${GOOD}winner: steps\n`, /^winner: only a stopped experiment/],
  ])('%s → one problem naming the file, the field and the reason', (_name, text, message) => {
    const r = one('x.yaml', text);
    expect(r.experiments).toEqual([]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.file).toBe('x.yaml');
    expect(r.problems[0]!.message).toMatch(message);
  });

  it('two running experiments on one surface: both are left out, whatever their file names; the rest keep running', () => {
    const r = parseExperiments([
      { file: 'b.yaml', text: GOOD.replace('receipt-style', 'receipt-b') },
      { file: 'a.yaml', text: GOOD.replace('receipt-style', 'receipt-a') },
      {
        file: 'c.yaml',
        text: GOOD.replace('receipt-style', 'survey').replace('surface: receipt', 'surface: survey_timing').replace('name: steps', 'name: delayed'),
      },
      { file: 'd.yaml', text: GOOD.replace('receipt-style', 'receipt-d').replace('status: running', 'status: draft') },
    ]);
    expect(r.experiments.map((e) => e.key)).toEqual(['survey', 'receipt-d']);
    expect(r.problems).toEqual([
      { file: 'a.yaml', message: 'surface: receipt-b (b.yaml) also runs on receipt; at most one running experiment per surface — both are left out' },
      { file: 'b.yaml', message: 'surface: receipt-a (a.yaml) also runs on receipt; at most one running experiment per surface — both are left out' },
    ]);
  });

  it('a duplicate key: both files are left out', () => {
    const r = parseExperiments([
      { file: 'one.yaml', text: GOOD },
      { file: 'two.yaml', text: GOOD.replace('status: running', 'status: stopped') },
    ]);
    expect(r.experiments).toEqual([]);
    expect(r.problems).toEqual([
      { file: 'one.yaml', message: 'key: "receipt-style" is also used by two.yaml; both are left out' },
      { file: 'two.yaml', message: 'key: "receipt-style" is also used by one.yaml; both are left out' },
    ]);
  });

  it('a stopped experiment may name its winner', () => {
    const r = one('x.yaml', `${GOOD.replace('status: running', 'status: stopped')}winner: steps\n`);
    expect(r.problems).toEqual([]);
    expect(r.experiments[0]!.winner).toBe('steps');
  });
});

describe('loadExperimentsDir', () => {
  it('reads *.yaml and *.yml, ignores other files; a missing directory is empty', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'experiments-'));
    writeFileSync(join(dir, 'a.yaml'), GOOD);
    writeFileSync(join(dir, 'b.yml'), 'key: [\n');
    writeFileSync(join(dir, 'README.md'), '# not an experiment');
    const r = await loadExperimentsDir(dir);
    expect(r.experiments.map((e) => e.key)).toEqual(['receipt-style']);
    expect(r.problems.map((p) => p.file)).toEqual(['b.yml']);
    expect(await loadExperimentsDir(join(dir, 'missing'))).toEqual({ experiments: [], problems: [] });
  });
});

describe('the shipped experiments/ directory', () => {
  it('is valid: the demo receipt-style runs, survey-timing is a draft', async () => {
    const r = await loadExperimentsDir(join(import.meta.dirname, '..', '..', 'experiments'));
    expect(r.problems).toEqual([]);
    expect(r.experiments.map((e) => [e.key, e.surface, e.status])).toEqual([
      ['receipt-style', 'receipt', 'running'],
      ['survey-timing', 'survey_timing', 'draft'],
    ]);
  });
});
