/**
 * Where a person's strings survive (the deletion tests, bot/store/privacy.ts): every row of every table of
 * the desk's PostgreSQL schema, and every row of every ClickHouse table, read in its text form.
 */
import { queryRows, type ClickHouse } from '../../core/clickhouse.js';
import type { Queryable } from '../../core/postgres.js';

/**
 * A needle as a pattern: a word anywhere (case-insensitive); an id (digits) only as a whole number, so that
 * customer 7401 is not "found" inside a UUID's hex group, a longer id or a decimal such as 2.7401 seconds.
 */
function needlePattern(needle: string): RegExp {
  const literal = needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return /^\d+$/.test(needle) ? new RegExp(`(?<![0-9a-z.-])${literal}(?![0-9a-z-])`, 'i') : new RegExp(literal, 'i');
}

/** "table: needle" for every row of the desk's schema whose text form contains a needle (`needlePattern`). */
export async function rowsContaining(q: Queryable, needles: readonly string[]): Promise<string[]> {
  const patterns = needles.map((n) => [n, needlePattern(n)] as const);
  const tables = (
    await q.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
    )
  ).rows.map((r) => r.table_name);
  const found: string[] = [];
  for (const table of tables) {
    const r = await q.query<{ row: string }>(`SELECT t::text AS row FROM "${table.replaceAll('"', '""')}" t`);
    for (const { row } of r.rows) for (const [n, pattern] of patterns) if (pattern.test(row)) found.push(`${table}: ${n}`);
  }
  return found;
}

/** "table.column" for every ClickHouse table column (views' targets included) holding one of the values, as a whole value or inside a string. */
export async function clickhouseColumnsHolding(ch: ClickHouse, values: readonly string[]): Promise<string[]> {
  const columns = await queryRows<{ table: string; name: string; type: string }>(
    ch,
    `SELECT table, name, type FROM system.columns WHERE database = currentDatabase() AND table IN
       (SELECT name FROM system.tables WHERE database = currentDatabase() AND engine NOT IN ('View', 'MaterializedView')) ORDER BY table, name`,
  );
  const found: string[] = [];
  for (const c of columns) {
    if (/^(Aggregate|Nested|Map|Tuple)/.test(c.type)) continue;
    const col = `\`${c.table.replaceAll('`', '')}\`.\`${c.name.replaceAll('`', '')}\``;
    const conditions = values.map((_, i) => `positionCaseInsensitive(toString(${col}), {v${i}:String}) > 0`).join(' OR ');
    const params = Object.fromEntries(values.map((v, i) => [`v${i}`, v]));
    const [r] = await queryRows<{ n: string | number }>(ch, `SELECT count() AS n FROM \`${c.table.replaceAll('`', '')}\` WHERE ${conditions}`, params);
    if (Number(r?.n ?? 0) > 0) found.push(`${c.table}.${c.name}`);
  }
  return found;
}
