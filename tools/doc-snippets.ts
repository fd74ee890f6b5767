/**
 * Checks the fenced code blocks of markdown files, so that no example in the docs rots.
 *
 * Every block is accounted for by its language (the word after the opening fence):
 * - `ts`: type-checked against the package's sources, in a fixture. The snippet's `import` statements are
 *   moved to the top of the file and the rest replaces the line `/// here` of the fixture: by default
 *   `default.ts-fixture`, otherwise the one the fence names (```` ```ts fixture=app ````). A fixture
 *   import whose name the snippet imports itself is dropped. ```` ```ts nofixture ```` compiles the block
 *   as a file of its own (a handler module). This is jsii-rosetta's convention, with its fixture folder.
 * - `python` is parsed, `json` and `xml` are parsed.
 * - `sh`, `bash`, `text` and `java` are skipped, and counted: shell commands and program output are not
 *   code to compile, and Java is compiled by the Java example's build.
 * - Any other language, or none, is a problem: give the block its language.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/** One fenced code block of a markdown file. */
export interface CodeBlock {
  /** The markdown file, relative to the root. */
  readonly file: string;
  /** The line of the opening fence, from 1. */
  readonly line: number;
  /** The language, lower case; empty when the fence names none. */
  readonly language: string;
  /** The words after the language, e.g. `fixture=app`. */
  readonly flags: string[];
  readonly code: string;
}

/** Languages whose blocks are counted and not checked. */
export const SKIPPED_LANGUAGES: Record<string, string> = {
  sh: 'shell commands',
  bash: 'shell commands',
  text: 'program output or syntax',
  java: 'compiled by the Java example\'s build',
};

export interface CheckOptions {
  /** Paths in messages are relative to it. */
  readonly root: string;
  /** Where `<name>.ts-fixture` files are. */
  readonly fixtureDir: string;
  /** The compiler options of the type-check (module resolution, paths, types). */
  readonly compilerOptions: ts.CompilerOptions;
  /** The virtual snippet files are placed here, so that relative module resolution works from it. */
  readonly snippetDir: string;
}

export interface CheckResult {
  /** Blocks checked, by language. */
  readonly checked: Record<string, number>;
  /** Blocks skipped on purpose, by their language. */
  readonly skipped: CodeBlock[];
  /** One line per problem: `file:line: message`. */
  readonly problems: string[];
}

/** The fenced code blocks of one markdown file. */
export function codeBlocksOf(file: string, root: string): CodeBlock[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^\s*```(.*)$/.exec(lines[i]);
    if (!open) {
      continue;
    }
    const [language = '', ...flags] = open[1].trim().split(/\s+/).filter((w) => w !== '');
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]); i++) {
      body.push(lines[i]);
    }
    blocks.push({ file: path.relative(root, file), line: start + 1, language: language.toLowerCase(), flags, code: body.join('\n') });
  }
  return blocks;
}

/** Checks every block; see the module comment for what each language gets. */
export function checkCodeBlocks(blocks: CodeBlock[], options: CheckOptions): CheckResult {
  const checked: Record<string, number> = {};
  const skipped: CodeBlock[] = [];
  const problems: string[] = [];
  const byLanguage = new Map<string, CodeBlock[]>();
  for (const block of blocks) {
    const language = ({ typescript: 'ts', py: 'python' } as Record<string, string>)[block.language] ?? block.language;
    if (language in SKIPPED_LANGUAGES) {
      skipped.push(block);
    } else if (['ts', 'python', 'json', 'xml'].includes(language)) {
      byLanguage.set(language, [...byLanguage.get(language) ?? [], block]);
      checked[language] = (checked[language] ?? 0) + 1;
    } else {
      const known = ['ts', 'python', 'json', 'xml', ...Object.keys(SKIPPED_LANGUAGES)].join(', ');
      problems.push(`${block.file}:${block.line}: ${block.language === '' ? 'a code block without a language' : `a \`${block.language}\` code block`}: `
        + `give it one of ${known}, so that it is checked or deliberately skipped`);
    }
  }
  problems.push(...compileTypeScript(byLanguage.get('ts') ?? [], options));
  problems.push(...parseWithPython(byLanguage.get('python') ?? [], byLanguage.get('xml') ?? []));
  for (const block of byLanguage.get('json') ?? []) {
    try {
      JSON.parse(block.code);
    } catch (e) {
      problems.push(`${block.file}:${block.line}: ${(e as Error).message}`);
    }
  }
  return { checked, skipped, problems };
}

/** A generated file: its lines, and the markdown line each comes from (none for a fixture's own line). */
interface Source {
  readonly text: string[];
  readonly origin: Array<number | undefined>;
  /** The lines of the snippet's own import statements. */
  readonly importLines: Set<number>;
  readonly block: CodeBlock;
  readonly fixture?: string;
}

function compileTypeScript(blocks: CodeBlock[], options: CheckOptions): string[] {
  const problems: string[] = [];
  const sources = new Map<string, Source>();
  blocks.forEach((block, i) => {
    try {
      const file = path.join(options.snippetDir, `${path.basename(block.file, '.md')}-${block.line}-${i}.ts`);
      sources.set(file, assemble(block, options.fixtureDir));
    } catch (e) {
      problems.push(`${block.file}:${block.line}: ${(e as Error).message}`);
    }
  });
  if (sources.size === 0) {
    return problems;
  }
  const compilerOptions: ts.CompilerOptions = {
    ...options.compilerOptions,
    noEmit: true,
    rootDir: undefined,
    // A snippet's unused imports are reported (see below); a fixture may declare more than one snippet uses.
    noUnusedLocals: true,
    noUnusedParameters: true,
  };
  const host = ts.createCompilerHost(compilerOptions);
  const contents = new Map([...sources].map(([file, source]) => [file, source.text.join('\n')]));
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => contents.has(fileName)
    ? ts.createSourceFile(fileName, contents.get(fileName)!, languageVersion, true)
    : getSourceFile(fileName, languageVersion, onError, shouldCreate);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => contents.has(fileName) || fileExists(fileName);
  const readFile = host.readFile.bind(host);
  host.readFile = (fileName) => contents.get(fileName) ?? readFile(fileName);

  const program = ts.createProgram([...sources.keys()], compilerOptions, host);
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const source = diagnostic.file && sources.get(diagnostic.file.fileName);
    if (!source || !diagnostic.file) {
      continue;
    }
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
    const origin = source.origin[line];
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    if (origin === undefined) {
      // A fixture's import or declaration that this snippet does not use is no problem.
      if (!UNUSED.has(diagnostic.code)) {
        problems.push(`${source.block.file}:${source.block.line}: in fixture ${source.fixture}, line ${line + 1} of the generated file: ${message}`);
      }
    } else if (!UNUSED.has(diagnostic.code) || (source.importLines.has(line) && !importsOnly(source.block.code))) {
      // An import the snippet does not use is stale; a variable it declares for the reader is not. A block of
      // imports alone shows where names come from: they are unused by design.
      problems.push(`${source.block.file}:${origin}: ${message}`);
    }
  }
  return problems;
}

/** "declared but never read", "all imports unused" and the like. */
const UNUSED = new Set([6133, 6138, 6192, 6196, 6198, 6199, 6205]);

function importsOnly(code: string): boolean {
  const file = ts.createSourceFile('block.ts', code, ts.ScriptTarget.ES2022);
  return file.statements.length > 0 && file.statements.every(ts.isImportDeclaration);
}

/** The file a block is compiled as, with the markdown line of each of its lines. */
function assemble(block: CodeBlock, fixtureDir: string): Source {
  const firstLine = block.line + 1;
  const snippetLines = block.code.split('\n');
  const fixtureFlag = block.flags.find((f) => f.startsWith('fixture='));
  const unknown = block.flags.filter((f) => f !== 'nofixture' && f !== fixtureFlag);
  if (unknown.length > 0) {
    throw new Error(`unknown word(s) after \`ts\`: ${unknown.join(' ')} (use fixture=<name> or nofixture)`);
  }
  if (block.flags.includes('nofixture')) {
    if (fixtureFlag) {
      throw new Error('`nofixture` and `fixture=` together');
    }
    // `export {}` makes a file without imports or exports a module, so that blocks do not share names.
    const file = ts.createSourceFile('snippet.ts', block.code, ts.ScriptTarget.ES2022, true);
    const importLines = new Set(file.statements.filter(ts.isImportDeclaration).flatMap((statement) => {
      const start = file.getLineAndCharacterOfPosition(statement.getStart()).line;
      const end = file.getLineAndCharacterOfPosition(statement.getEnd()).line;
      return Array.from({ length: end - start + 1 }, (_, k) => start + k);
    }));
    return { text: [...snippetLines, 'export {};'], origin: [...snippetLines.map((_, i) => firstLine + i), undefined], importLines, block };
  }
  const fixture = fixtureFlag?.slice('fixture='.length) ?? 'default';
  const fixtureFile = path.join(fixtureDir, `${fixture}.ts-fixture`);
  if (!fs.existsSync(fixtureFile)) {
    throw new Error(`no fixture ${fixture}: ${fixtureFile} does not exist`);
  }

  // The snippet's imports go first; their lines are blanked in its body, so line numbers stay.
  const snippet = ts.createSourceFile('snippet.ts', block.code, ts.ScriptTarget.ES2022, true);
  const imports = snippet.statements.filter(ts.isImportDeclaration);
  const body = [...snippetLines];
  const hoisted: string[] = [];
  const hoistedOrigin: number[] = [];
  const importedNames = new Set<string>();
  for (const statement of imports) {
    const start = snippet.getLineAndCharacterOfPosition(statement.getStart()).line;
    const end = snippet.getLineAndCharacterOfPosition(statement.getEnd()).line;
    for (let l = start; l <= end; l++) {
      hoisted.push(snippetLines[l]);
      hoistedOrigin.push(firstLine + l);
      body[l] = '';
    }
    localNames(statement).forEach((n) => importedNames.add(n));
  }

  const fixtureLines = fs.readFileSync(fixtureFile, 'utf8').split('\n');
  const here = fixtureLines.flatMap((l, i) => (l.trim() === '/// here' ? [i] : []));
  if (here.length !== 1) {
    throw new Error(`fixture ${fixture} must have exactly one line \`/// here\`, it has ${here.length}`);
  }
  const before = withoutImportsOf(fixtureLines.slice(0, here[0]).join('\n'), importedNames).split('\n');
  const after = fixtureLines.slice(here[0] + 1);
  return {
    text: [...hoisted, ...before, ...body, ...after],
    origin: [...hoistedOrigin, ...before.map(() => undefined), ...body.map((_, i) => firstLine + i), ...after.map(() => undefined)],
    importLines: new Set(hoisted.map((_, i) => i)),
    block,
    fixture,
  };
}

function localNames(statement: ts.ImportDeclaration): string[] {
  const clause = statement.importClause;
  if (!clause) {
    return [];
  }
  const names = clause.name ? [clause.name.text] : [];
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) {
    names.push(bindings.name.text);
  } else if (bindings) {
    names.push(...bindings.elements.map((e) => e.name.text));
  }
  return names;
}

/** The fixture's text with the names `taken` dropped from its imports (the snippet imports them itself). */
function withoutImportsOf(text: string, taken: Set<string>): string {
  const file = ts.createSourceFile('fixture.ts', text, ts.ScriptTarget.ES2022, true);
  const printer = ts.createPrinter({ removeComments: true });
  let result = '';
  let at = 0;
  for (const statement of file.statements.filter(ts.isImportDeclaration)) {
    if (!localNames(statement).some((n) => taken.has(n))) {
      continue;
    }
    const clause = statement.importClause!;
    const bindings = clause.namedBindings;
    const name = clause.name && !taken.has(clause.name.text) ? clause.name : undefined;
    let namedBindings: ts.NamedImportBindings | undefined;
    if (bindings && ts.isNamespaceImport(bindings)) {
      namedBindings = taken.has(bindings.name.text) ? undefined : bindings;
    } else if (bindings) {
      const kept = bindings.elements.filter((e) => !taken.has(e.name.text));
      namedBindings = kept.length > 0 ? ts.factory.updateNamedImports(bindings, kept) : undefined;
    }
    const replacement = name || namedBindings
      ? printer.printNode(ts.EmitHint.Unspecified, ts.factory.updateImportDeclaration(statement, statement.modifiers,
        ts.factory.updateImportClause(clause, clause.phaseModifier, name, namedBindings), statement.moduleSpecifier, statement.attributes), file)
      : '';
    // The replacement keeps the statement's line count, so the fixture's lines keep their numbers.
    const original = text.slice(statement.getStart(), statement.getEnd());
    result += text.slice(at, statement.getStart()) + replacement.replace(/\n/g, ' ') + '\n'.repeat(original.split('\n').length - 1);
    at = statement.getEnd();
  }
  return result + text.slice(at);
}

/** Parses Python blocks (syntax only) and XML blocks, in one Python process. */
function parseWithPython(python: CodeBlock[], xml: CodeBlock[]): string[] {
  if (python.length + xml.length === 0) {
    return [];
  }
  const script = [
    'import ast, json, sys, xml.etree.ElementTree as ET',
    'for block in json.load(sys.stdin):',
    '    try:',
    '        ast.parse(block["code"]) if block["language"] == "python" else ET.fromstring("<blocks>" + block["code"] + "</blocks>")',
    // ParseError is a SyntaxError: it comes first.
    '    except ET.ParseError as e:',
    '        print(json.dumps({"at": block["at"], "line": e.position[0], "message": str(e)}))',
    '    except SyntaxError as e:',
    '        print(json.dumps({"at": block["at"], "line": e.lineno or 1, "message": e.msg}))',
  ].join('\n');
  const blocks = [...python.map((b) => ({ ...b, language: 'python' })), ...xml.map((b) => ({ ...b, language: 'xml' }))];
  const run = spawnSync('python3', ['-c', script], {
    input: JSON.stringify(blocks.map((b, at) => ({ at, language: b.language, code: b.code }))),
    encoding: 'utf8',
  });
  if (run.error || run.status !== 0) {
    return [`python3 could not check ${blocks.length} Python and XML block(s): ${run.error?.message ?? run.stderr}`];
  }
  return run.stdout.split('\n').filter((l) => l !== '').map((l) => {
    const { at, line, message } = JSON.parse(l) as { at: number; line: number; message: string };
    return `${blocks[at].file}:${blocks[at].line + line}: ${message}`;
  });
}
