/**
 * `npm run schemas:export [-- DIR]`: writes one JSON Schema file per event type
 * plus the union, for producers in other languages and for documentation.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCli } from '../core/cli.js';
import { EVENT_SCHEMAS, SupportEvent } from './events.js';

const { positionals } = parseCli({
  usage: 'npm run schemas:export -- [OUT_DIR]',
  description: 'Writes one JSON Schema per event type and the union (support-event.schema.json) to OUT_DIR (default schemas/json).',
  positionals: { max: 1 },
});
const out = positionals[0] ?? 'schemas/json';
mkdirSync(out, { recursive: true });
for (const s of EVENT_SCHEMAS) writeFileSync(join(out, `${s.$id}.schema.json`), `${JSON.stringify(s, null, 2)}\n`);
writeFileSync(join(out, 'support-event.schema.json'), `${JSON.stringify(SupportEvent, null, 2)}\n`);
console.log(`wrote ${EVENT_SCHEMAS.length + 1} schemas to ${out}`);
