import { Command } from 'commander';
import { ItemSize } from '../../capacity/item-size';

/** Writes to the CLI's stdout, as configured on the program (a test's buffer or the process). */
export function print(command: Command, text: string): void {
  const write = command.configureOutput().writeOut ?? ((t: string) => process.stdout.write(t));
  write(text.endsWith('\n') ? text : `${text}\n`);
}

/** A number of at least `min` (and whole, when `integer`), or an error naming the flag. */
export function parseNumber(
  flag: string,
  value: string | undefined,
  options: { min?: number; max?: number; integer?: boolean } = {},
): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const n = Number(value);
  const min = options.min ?? 0;
  if (value.trim() === '' || !Number.isFinite(n) || n < min || (options.max !== undefined && n > options.max) || (options.integer && !Number.isInteger(n))) {
    const range = options.max !== undefined ? `from ${min} to ${options.max}` : `of at least ${min}`;
    throw new Error(`\`${flag}\` is '${value}': it must be ${options.integer ? 'a whole number' : 'a number'} ${range}.`);
  }
  return n;
}

/** The forms a size flag accepts, for error messages and help. */
export const SIZE_FORMS = 'a number with a unit: B, KB, MB or GB (1 KB = 1,024 bytes), for example 400B, 10KB, 1.5KB or 50GB';

/**
 * A size with a unit (`400B`, `10KB`, `1.5 KB`, `50GB`), in bytes, or an error naming the flag.
 *
 * A bare number is refused: `--storage 50` meant 50 GB to the reader and 50 bytes to the parser.
 */
export function parseSizeFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const text = String(value).trim();
  if (/^-?\d+(\.\d+)?$/.test(text)) {
    throw new Error(`\`${flag}\` is '${value}', a number without a unit: write ${SIZE_FORMS}.`);
  }
  if (!/^-?\d+(\.\d+)?\s*(B|KB|MB|GB)$/i.test(text)) {
    throw new Error(`\`${flag}\` is '${value}', which is not a size: write ${SIZE_FORMS}.`);
  }
  if (text.startsWith('-')) {
    throw new Error(`\`${flag}\` is '${value}': a size cannot be negative. Write ${SIZE_FORMS}.`);
  }
  return ItemSize.parse(text);
}

const RATE_UNITS: Record<string, number> = { s: 1, sec: 1, second: 1, min: 60, minute: 60, h: 3600, hour: 3600, d: 86_400, day: 86_400 };

/** The forms a rate flag accepts, for error messages and help. */
export const RATE_FORMS = 'a number of requests with its unit, per second (/s), minute (/min), hour (/h) or day (/day), for example 500/s or 30000/min';

/**
 * A rate with its unit (`500/s`, `30000/min`, `2000000/day`), in requests per second, or an error naming
 * the flag. A bare number is refused: per second or per minute is a factor of 60 in the answer.
 */
export function parseRateFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const text = String(value).trim();
  if (/^-?\d+(\.\d+)?$/.test(text)) {
    throw new Error(`\`${flag}\` is '${value}', a number without a unit: write ${RATE_FORMS}.`);
  }
  const match = /^(-?\d+(?:\.\d+)?)\s*\/\s*([a-z]+)$/i.exec(text);
  const per = match ? RATE_UNITS[match[2].toLowerCase()] : undefined;
  if (!match || per === undefined) {
    throw new Error(`\`${flag}\` is '${value}', which is not a rate: write ${RATE_FORMS}.`);
  }
  if (text.startsWith('-')) {
    throw new Error(`\`${flag}\` is '${value}': a rate cannot be negative. Write ${RATE_FORMS}.`);
  }
  return Number(match[1]) / per;
}

/**
 * Ends the command with exit code 1: what it printed will throttle, fail or lose data. Exit 2 stays for
 * bad input, 0 for an answer with nothing of the kind.
 */
export function failWithFindings(command: Command, message: string): never {
  command.error(`${command.name()}: ${message}`, { exitCode: 1, code: `${command.name()}.findings` });
}

/**
 * The defaults a command took for flags that change its answer, as one line for the output:
 * `Assumed (pass the flag to change it): --region us-east-1, ...`. Empty when every such flag was given.
 */
export function assumptions(command: Command, flags: Array<[flag: string, meaning: string]>): string[] {
  const taken = flags.filter(([flag]) => {
    const key = flag.replace(/^--(no-)?/, '').replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
    return command.getOptionValueSource(key) !== 'cli';
  });
  return taken.length === 0 ? [] : [`Assumed (pass the flag to change it): ${taken.map(([flag, meaning]) => `${flag} ${meaning}`).join('; ')}.`];
}
