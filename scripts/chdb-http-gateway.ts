/**
 * A ClickHouse HTTP interface in front of one chDB engine.
 *
 * chDB is a library: one process owns a data directory. Machines without a
 * ClickHouse server (CI here) still need several processes — ingest and
 * dashboard — to share one ClickHouse, exercising the *server* code path
 * (`CLICKHOUSE_URL`, HTTP, @clickhouse/client's own connection). This gateway
 * speaks the subset of the HTTP protocol that @clickhouse/client uses:
 *   GET /ping, POST /?query=…&param_x=…&<settings> with the query or the
 *   insert data in the body, ClickHouse-shaped errors (`Code: N. DB::Exception: …`).
 * `database` is accepted and ignored: the engine has one namespace.
 *
 *   npm run chdb-gateway -- --port 8123 --data-dir ./data/gateway
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import { parseCli, runMain } from '../core/cli.js';
import { withSpooledBody } from '../core/clickhouse.js';

/** URL parameters that are protocol, not engine settings. */
const PROTOCOL_PARAMS = new Set([
  'query',
  'database',
  'query_id',
  'session_id',
  'session_timeout',
  'session_check',
  'role',
  'user',
  'password',
  'compress',
  'decompress',
  'enable_http_compression',
  'wait_end_of_query',
  'default_format',
]);

export interface ChdbGateway {
  url: string;
  port: number;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function errorBody(e: unknown): { code: number; text: string } {
  const err = e as { code?: string | number; type?: string; message?: string };
  const code = Number(err.code) || 1001;
  const message = err.message ?? String(e);
  // Already in ClickHouse's shape (chDB reports engine errors that way).
  if (/Code: \d+\..*Exception:/s.test(message)) return { code, text: message };
  return { code, text: `Code: ${code}. DB::Exception: ${message} (${err.type ?? 'STD_EXCEPTION'})` };
}

/** `INSERT INTO <table (columns)> FORMAT RowBinary…`: the target and the format of a binary insert. */
const BINARY_INSERT = /^\s*INSERT\s+INTO\s+([\w.]+\s*(?:\([\w\s,]*\))?)\s+FORMAT\s+(RowBinary\w*)\s*$/i;
export async function startChdbGateway(opts: { dataDir: string; port?: number; host?: string }): Promise<ChdbGateway> {
  mkdirSync(opts.dataDir, { recursive: true });
  const connection = createChdbConnection({ path: opts.dataDir }) as unknown as NonNullable<Parameters<typeof createClient>[0]>['connection'];
  const engine: ClickHouseClient = createClient({ connection });
  // The engine runs one statement at a time; queue requests so settings applied
  // for one request cannot interleave with another's statement.
  let tail: Promise<unknown> = Promise.resolve();
  const serialized = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://gateway');
    if (url.pathname === '/ping' || url.pathname === '/') {
      if (req.method === 'GET' && !url.searchParams.has('query')) {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('Ok.\n');
        return;
      }
    }
    try {
      const raw = await readBody(req);
      const urlQuery = url.searchParams.get('query');
      const settings: ClickHouseSettings = {};
      const params: Record<string, string> = {};
      for (const [k, v] of url.searchParams) {
        if (k.startsWith('param_')) params[k.slice(6)] = v;
        else if (!PROTOCOL_PARAMS.has(k) && !k.startsWith('http_')) (settings as Record<string, string>)[k] = v;
      }
      const queryId = url.searchParams.get('query_id') ?? crypto.randomUUID();
      // A binary insert body (RowBinary…, core/clickhouse.ts insertRowBinary) cannot go inline: chDB ends inline
      // data at a blank line, and binary values contain "\n\n". It is read from a spooled file instead.
      const binary = urlQuery !== null && raw.length > 0 ? BINARY_INSERT.exec(urlQuery) : null;
      const run = async (query: string, values?: string) => {
        const result = await engine.exec({
          query,
          ...(values !== undefined ? { values } : {}),
          query_params: params,
          clickhouse_settings: settings,
          query_id: queryId,
        });
        const chunks: Buffer[] = [];
        for await (const c of result.stream) chunks.push(Buffer.from(c as Uint8Array));
        return Buffer.concat(chunks);
      };
      const output = await serialized(() => {
        // the bytes as sent: a binary body is no UTF-8 text, and is not decoded as one
        if (binary) return withSpooledBody(raw, (file) => run(`INSERT INTO ${binary[1]} SELECT * FROM file(${file}, '${binary[2]}')`));
        const body = raw.toString('utf8');
        return run(urlQuery ?? body, urlQuery !== null && raw.length > 0 ? body : undefined);
      });
      const gzip = url.searchParams.get('enable_http_compression') === '1' && /gzip/.test(String(req.headers['accept-encoding'] ?? ''));
      res.writeHead(200, {
        'content-type': 'text/plain; charset=UTF-8',
        'x-clickhouse-query-id': queryId,
        'x-clickhouse-summary': JSON.stringify({
          read_rows: '0',
          read_bytes: '0',
          written_rows: '0',
          written_bytes: '0',
          total_rows_to_read: '0',
          result_rows: '0',
          result_bytes: String(output.length),
          elapsed_ns: '0',
        }),
        ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      });
      res.end(gzip ? gzipSync(output) : output);
    } catch (e) {
      const { code, text } = errorBody(e);
      res.writeHead(500, { 'content-type': 'text/plain; charset=UTF-8', 'x-clickhouse-exception-code': String(code) }).end(`${text}\n`);
    }
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await engine.close();
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runMain(async () => {
    const { values } = parseCli({
      usage: 'npm run chdb-gateway -- [--port 8123] [--data-dir DIR]',
      description:
        'Serves the ClickHouse HTTP interface over an embedded chDB engine, so several processes can share it (tests, machines without a ClickHouse server).',
      options: { port: { type: 'string' }, 'data-dir': { type: 'string' } },
      optionHelp: ['--port N       port on 127.0.0.1 (default 8123)', '--data-dir DIR  chDB data directory (default ./data/chdb-gateway)'],
    });
    const port = Number(values.port ?? 8123);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got ${values.port}`);
    const gw = await startChdbGateway({ dataDir: values['data-dir'] ?? './data/chdb-gateway', port });
    console.log(`ClickHouse HTTP interface over chDB at ${gw.url}`);
    const stop = () => void gw.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
