import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { checkCodeBlocks, CheckResult, codeBlocksOf } from '../../tools/doc-snippets';

// The checker behind `npx projen docs:snippets`, on markdown written here: each case must be caught at its line.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'doc-snippets-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

fs.mkdirSync(path.join(dir, 'fixtures'));
fs.writeFileSync(path.join(dir, 'fixtures', 'default.ts-fixture'), [
  "import { join, sep } from 'path';",
  'declare const base: string;',
  'export function fixture(): void {',
  '  /// here',
  '}',
].join('\n'));

function check(markdown: string): CheckResult {
  const file = path.join(dir, 'doc.md');
  fs.writeFileSync(file, markdown);
  return checkCodeBlocks(codeBlocksOf(file, dir), {
    root: dir,
    fixtureDir: path.join(dir, 'fixtures'),
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true, types: ['node'], skipLibCheck: true },
    snippetDir: dir,
  });
}

const block = (info: string, ...lines: string[]) => ['```' + info, ...lines, '```'].join('\n');

test('blocks that compile and parse pass, and are counted by language', () => {
  const result = check([
    '# Doc',
    block('ts', 'const p: string = join(base, sep);'),
    // The snippet imports a name the fixture imports too: the fixture's is dropped, not a duplicate.
    block('ts', "import { join } from 'path';", '', 'join(base, "x");'),
    block('ts nofixture', "import { join } from 'path';", 'export const handler = () => join("a");'),
    block('ts nofixture', "import { join } from 'path';"),
    block('python', 'def f(x):', '    return x'),
    block('json', '{ "a": [1, 2] }'),
    block('xml', '<a>1</a>', '<b/>'),
    block('sh', 'npm ci && npm run demo'),
    block('text', '$ anything goes'),
  ].join('\n'));
  expect(result.problems).toEqual([]);
  expect(result.checked).toEqual({ ts: 4, python: 1, json: 1, xml: 1 });
  expect(result.skipped.map((b) => `${b.language}:${b.line}`)).toEqual(['sh:28', 'text:31']);
});

test('a type error is reported at its line of the markdown, in a fixture or alone', () => {
  const result = check([
    '# Doc', // 1
    block('ts', "import { join } from 'path';", 'const n: number = join(base);'), // 2-5
    block('ts nofixture', 'const s: string = 1;'), // 6-8
  ].join('\n'));
  expect(result.problems).toEqual([
    "doc.md:4: Type 'string' is not assignable to type 'number'.",
    "doc.md:7: Type 'number' is not assignable to type 'string'.",
  ]);
});

test('an unused import is stale; a variable declared for the reader is not', () => {
  const result = check(block('ts', "import { join, sep } from 'path';", 'const unused = join(base);'));
  expect(result.problems).toEqual(["doc.md:2: 'sep' is declared but its value is never read."]);
});

test('a block without a language, or with one the checker does not know, fails', () => {
  expect(check(['x', block('', 'output'), block('ruby', 'puts 1')].join('\n')).problems).toEqual([
    expect.stringMatching(/^doc.md:2: a code block without a language: give it one of ts, python, json, xml, sh, bash, text, java/),
    expect.stringMatching(/^doc.md:5: a `ruby` code block: give it one of/),
  ]);
});

test('Python, JSON and XML syntax errors are reported at their line', () => {
  const result = check([
    block('python', 'def f(:', '    pass'), // lines 1-4
    block('json', '{ "a": }'), // 5-7: JSON.parse gives no line, so the fence's
    block('xml', '<a>', '<b></a>'), // 8-11
  ].join('\n'));
  expect(result.problems).toEqual([
    expect.stringMatching(/^doc.md:2: /),
    'doc.md:10: mismatched tag: line 2, column 5',
    expect.stringMatching(/^doc.md:5: .*is not valid JSON/),
  ]);
});

test('a missing fixture, a fixture without `/// here` and an unknown flag fail', () => {
  fs.writeFileSync(path.join(dir, 'fixtures', 'broken.ts-fixture'), 'export {};\n');
  expect(check([block('ts fixture=nope', 'x;'), block('ts fixture=broken', 'x;'), block('ts nocompile', 'x;')].join('\n')).problems).toEqual([
    expect.stringMatching(/^doc.md:1: no fixture nope: .*nope.ts-fixture does not exist/),
    'doc.md:4: fixture broken must have exactly one line `/// here`, it has 0',
    'doc.md:7: unknown word(s) after `ts`: nocompile (use fixture=<name> or nofixture)',
  ]);
});
