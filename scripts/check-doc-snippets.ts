/**
 * `npx projen docs:snippets`: checks every code block of README.md, CONTRIBUTING.md, docs/*.md and the
 * examples' and packages' READMEs (tools/doc-snippets.ts says what each language gets), prints what it
 * checked and what it skipped, and fails on any problem.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { checkCodeBlocks, codeBlocksOf } from '../tools/doc-snippets';

const ROOT = path.join(__dirname, '..');

function markdownFiles(): string[] {
  const inDir = (dir: string, name = (f: string) => f.endsWith('.md')) => fs.existsSync(path.join(ROOT, dir))
    ? fs.readdirSync(path.join(ROOT, dir)).filter(name).sort().map((f) => path.join(ROOT, dir, f))
    : [];
  const readmes = (dir: string) => fs.readdirSync(path.join(ROOT, dir))
    .map((d) => path.join(ROOT, dir, d, 'README.md'))
    .filter((f) => fs.existsSync(f))
    .sort();
  return [path.join(ROOT, 'README.md'), path.join(ROOT, 'CONTRIBUTING.md'), ...inDir('docs'), ...readmes('examples'), ...readmes('packages')];
}

function main(): void {
  const started = Date.now();
  const files = markdownFiles();
  const blocks = files.flatMap((f) => codeBlocksOf(f, ROOT));
  // The type-check of tests, examples and scripts: 'cdk-dynamodb-blueprints' resolves to src/ through its paths.
  const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.dev.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const result = checkCodeBlocks(blocks, {
    root: ROOT,
    fixtureDir: path.join(ROOT, 'rosetta'),
    compilerOptions: options,
    snippetDir: path.join(ROOT, '.doc-snippets'),
  });

  const checked = Object.entries(result.checked).map(([language, n]) => `${n} ${language}`).join(', ');
  console.log(`${blocks.length} code block(s) in ${files.length} markdown file(s): checked ${checked || 'none'}; skipped ${result.skipped.length}.`);
  const skippedBy = new Map<string, string[]>();
  result.skipped.forEach((b) => skippedBy.set(b.language, [...skippedBy.get(b.language) ?? [], `${b.file}:${b.line}`]));
  for (const [language, where] of skippedBy) {
    console.log(`  skipped ${where.length} ${language}: ${where.join(', ')}`);
  }
  if (result.problems.length > 0) {
    console.error(`\n${result.problems.length} problem(s):\n${result.problems.join('\n')}`);
    process.exit(1);
  }
  console.log(`No problems (${((Date.now() - started) / 1000).toFixed(1)} s).`);
}

main();
