/**
 * Command-line handling shared by every entry point: `--help` prints usage,
 * unknown or malformed arguments fail with a clear message and exit code 2,
 * and configuration errors name the bad variable.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from './env.js';
import { describeError } from './redact.js';

export interface CliSpec<O extends NonNullable<ParseArgsConfig['options']>> {
  /** e.g. "npm run import -- FILE.jsonl [--dry-run]" */
  usage: string;
  description: string;
  options?: O;
  /** Help lines for options, in order. */
  optionHelp?: string[];
  positionals?: { min?: number; max?: number };
}

export function parseCli<O extends NonNullable<ParseArgsConfig['options']>>(spec: CliSpec<O>, argv = process.argv.slice(2)) {
  const help = () =>
    [
      `usage: ${spec.usage}`,
      '',
      spec.description,
      ...(spec.optionHelp?.length ? ['', 'options:', ...spec.optionHelp.map((l) => `  ${l}`)] : []),
      '  -h, --help  show this help',
      '',
      'Configuration is read from environment variables; see the README table.',
    ].join('\n');
  const parsed = (() => {
    try {
      return parseArgs({
        args: argv,
        options: { ...spec.options, help: { type: 'boolean', short: 'h' } } as O & { help: { type: 'boolean'; short: 'h' } },
        allowPositionals: true,
        strict: true,
      });
    } catch (e) {
      return fail(`${(e as Error).message}\n\n${help()}`);
    }
  })();
  if ((parsed.values as Record<string, unknown>).help) {
    console.log(help());
    process.exit(0);
  }
  const n = parsed.positionals.length;
  if (spec.positionals?.min !== undefined && n < spec.positionals.min) fail(`expected at least ${spec.positionals.min} argument(s)\n\n${help()}`);
  if (n > (spec.positionals?.max ?? 0)) fail(`unexpected argument: ${parsed.positionals[spec.positionals?.max ?? 0]}\n\n${help()}`);
  return parsed;
}

export function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(2);
}

/** Runs an entry point's main, turning configuration errors into one clear line. */
export function runMain(main: () => Promise<unknown>): void {
  main().catch((e: unknown) => {
    if (e instanceof ConfigError) fail(e.message);
    // Without what the error carried (a payload, a request URL's bot token): core/log.ts's redaction.
    console.error(describeError(e));
    process.exit(1);
  });
}
