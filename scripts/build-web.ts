/**
 * `npm run build:web`: builds the product's web apps with Vite — the analytics
 * dashboard, the sandbox playground and the customers' Mini App. `npm start` runs it with `--if-stale`
 * first (npm's prestart), so the README's run command always serves current
 * apps: an app is rebuilt only when its output is missing or older than any of
 * its sources (~3 s each), so a start with nothing changed costs a file walk.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { parseCli, runMain } from '../core/cli.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Each web app: its Vite config; its sources are the config's directory, its output `dist/` beside it. */
export const WEB_APPS = [
  { name: 'dashboard', config: 'dashboard/web/vite.config.ts' },
  { name: 'playground', config: 'sandbox/playground/vite.config.ts' },
  { name: 'miniapp', config: 'bot/miniapp/web/vite.config.ts' },
] as const;

/** Newest modification time (ms) of the files below `dir`, skipping `dist` and `node_modules`. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export function isStale(appDir: string): boolean {
  const index = join(appDir, 'dist', 'index.html');
  return !existsSync(index) || statSync(index).mtimeMs < newestSource(appDir);
}

async function main(): Promise<void> {
  const args = parseCli({
    usage: 'npm run build:web [-- --if-stale]',
    description: 'Builds the web apps (analytics dashboard, sandbox playground, Mini App) into their dist/ directories.',
    options: { 'if-stale': { type: 'boolean' } },
    optionHelp: ['--if-stale  build only the apps whose sources changed since their last build'],
  });
  const onlyStale = args.values['if-stale'] === true;
  const built: string[] = [];
  const started = performance.now();
  for (const app of WEB_APPS) {
    const configFile = join(repo, app.config);
    if (!existsSync(configFile)) continue;
    if (onlyStale && !isStale(dirname(configFile))) continue;
    await build({ configFile, logLevel: 'warn' });
    built.push(`${app.name} → ${relative(repo, join(dirname(configFile), 'dist'))}`);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(built.length ? `web apps built in ${seconds} s: ${built.join(', ')}` : 'web apps up to date');
}

runMain(main);
