// PGlite on a thread of its own (core/postgres.ts openPglite): Postgres runs synchronously inside
// WebAssembly, so on the desk's thread every statement stopped everything else — HTTP, grammY, timers — for
// its whole run. Here it runs beside them, on the second core.
//
// Plain JavaScript: a worker thread starts without the project's TypeScript loader (tsx does not reach
// worker threads on Node 20). The protocol is core/postgres.ts's: { id, sql, params } → { id, rows,
// affectedRows } or { id, error }; { id, close: true } closes the database. Statements run one at a time
// in arrival order; the caller keeps transactions whole (its lock).
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

const { dir, startParams } = workerData;
// int8 (ticket ids, Telegram ids, counts) as numbers, as the PostgreSQL path does: every id we store fits in 2^53.
const db = await PGlite.create(dir, { parsers: { 20: (v) => Number(v) }, startParams });

/** An error as plain data: the message and Postgres' fields (code, detail, constraint…) the callers read. */
function errorData(err) {
  if (!(err instanceof Error)) return { message: String(err) };
  const out = { message: err.message };
  for (const [k, v] of Object.entries(err)) if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) out[k] = v;
  return out;
}

let queue = Promise.resolve();
parentPort.on('message', (m) => {
  queue = queue.then(async () => {
    if (m.close) {
      await db.close();
      parentPort.postMessage({ id: m.id, rows: [], affectedRows: 0 });
      return;
    }
    try {
      const r = await db.query(m.sql, m.params);
      parentPort.postMessage({ id: m.id, rows: r.rows, affectedRows: r.affectedRows ?? 0 });
    } catch (err) {
      parentPort.postMessage({ id: m.id, error: errorData(err) });
    }
  });
});
parentPort.postMessage({ ready: true });
