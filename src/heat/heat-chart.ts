// Pictures of the load per key value against the partition limits: text bars for the CLI, a Mermaid
// xychart for the Markdown report. Not part of the public API.
import { KeyValueLoad } from './key-heat';

/** Which side of the load a picture shows. */
export type LoadSide = 'read' | 'write';

const BAR_WIDTH = 40;

function valueOf(load: KeyValueLoad, side: LoadSide): number {
  return side === 'read' ? load.readUnitsPerSecond : load.writeUnitsPerSecond;
}

/** `1234.5678` -> `1,234.57`. */
export function formatRate(units: number): string {
  if (units > 0 && units < 0.01) {
    // A uniform key over millions of values: keep two significant digits instead of printing 0.
    return String(Number(units.toPrecision(2)));
  }
  return Number(units.toFixed(2)).toLocaleString('en-US');
}

/**
 * Text bars, one per value, on a scale that always shows the partition limit; `|` marks the utilization limit
 * and `!` the partition limit.
 */
export function textBars(loads: KeyValueLoad[], side: LoadSide, limit: number, hardLimit: number): string[] {
  const top = Math.max(hardLimit, ...loads.map((l) => valueOf(l, side)));
  const column = (units: number) => Math.min(BAR_WIDTH - 1, Math.round((units / top) * BAR_WIDTH));
  const unit = side === 'read' ? 'RCU/s' : 'WCU/s';
  const lines = loads.map((l) => {
    const units = valueOf(l, side);
    const filled = Math.round((units / top) * BAR_WIDTH);
    const chars: string[] = Array.from({ length: BAR_WIDTH }, (_, i) => (i < filled ? '#' : '.'));
    chars[column(limit)] = '|';
    chars[column(hardLimit)] = '!';
    return `  ${l.label.padEnd(8)} ${chars.join('')} ${formatRate(units)} ${unit}`;
  });
  lines.push(`  ${''.padEnd(8)} | = utilization limit ${formatRate(limit)} ${unit}, ! = partition limit ${formatRate(hardLimit)} ${unit}`);
  return lines;
}

/** A Mermaid xychart: a bar per value, a line at the utilization limit and one at the partition limit. */
export function mermaidChart(title: string, loads: KeyValueLoad[], side: LoadSide, limit: number, hardLimit: number): string[] {
  const values = loads.map((l) => Number(valueOf(l, side).toPrecision(4)));
  const top = Math.ceil(Math.max(hardLimit, ...values) * 1.1);
  const repeat = (x: number) => `[${loads.map(() => x).join(', ')}]`;
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${title.replace(/"/g, "'")}"`,
    `  x-axis [${loads.map((l) => `"${l.label}"`).join(', ')}]`,
    `  y-axis "${side} units per second" 0 --> ${top}`,
    `  bar [${values.join(', ')}]`,
    `  line ${repeat(Number(limit.toFixed(2)))}`,
    `  line ${repeat(hardLimit)}`,
    '```',
  ];
}
