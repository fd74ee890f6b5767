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
