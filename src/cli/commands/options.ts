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

/** A size such as 1024, 10KB or 1.5KB, in bytes, or an error naming the flag. */
export function parseSizeFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  let bytes: number;
  try {
    bytes = ItemSize.parse(value);
  } catch {
    throw new Error(`\`${flag}\` is '${value}': write a number of bytes or a size with a unit (1 KB = 1,024 bytes), for example 1024, 10KB or 1.5KB.`);
  }
  if (bytes < 0) {
    throw new Error(`\`${flag}\` is '${value}': a size cannot be negative. Pass the size in bytes or with a unit, for example 10KB.`);
  }
  return bytes;
}
