/**
 * `npx projen docs:snippets`: compiles every code block of README.md and docs/*.md, so none rots.
 *
 * - ```ts blocks are type-checked against the package's sources. A block that imports what it uses is
 *   compiled as a module of its own. Any other block is a fragment: it is compiled inside a stack's
 *   constructor (so `this` is a Stack), with the package's public names and the common aws-cdk-lib
 *   names imported, and the variables the docs share (`orders`, `handler`, `vpc`...) declared.
 * - ```python blocks are parsed by Python (syntax only: the jsii-generated package is checked by the
 *   Python example's tests).
 * - Other blocks (shell, JSON, YAML, text, Java) are not code to compile here; Java is compiled by the
 *   Java example's build.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..');

interface Snippet {
  readonly file: string;
  readonly line: number;
  readonly language: string;
  readonly code: string;
}

/** The fenced code blocks of one markdown file, with the line each starts on. */
function snippetsOf(file: string): Snippet[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\w*)/.exec(lines[i]);
    if (!open) {
      continue;
    }
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]); i++) {
      body.push(lines[i]);
    }
    snippets.push({ file: path.relative(ROOT, file), line: start + 1, language: open[2].toLowerCase(), code: body.join('\n') });
  }
  return snippets;
}

/** What a fragment may use without importing it. */
function fragmentPrelude(): string {
  const exported = publicNames();
  return [
    "import { App, Aspects, Duration, RemovalPolicy, Stack, Tags, Validations } from 'aws-cdk-lib';",
    "import { Template } from 'aws-cdk-lib/assertions';",
    "import { BackupPlanRule, BackupVault } from 'aws-cdk-lib/aws-backup';",
    "import { Alarm, IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';",
    "import { AttributeType, Billing, Capacity, ITable, ProjectionType, StreamViewType, Table, TableClass, TableEncryptionV2, TablePropsV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';",
    "import * as ec2 from 'aws-cdk-lib/aws-ec2';",
    "import { Schedule } from 'aws-cdk-lib/aws-events';",
    "import { IRole, ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';",
    "import { Key } from 'aws-cdk-lib/aws-kms';",
    "import * as lambda from 'aws-cdk-lib/aws-lambda';",
    "import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';",
    "import { Topic } from 'aws-cdk-lib/aws-sns';",
    "import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';",
    "import { Construct } from 'constructs';",
    `import { ${exported.join(', ')} } from 'cdk-dynamodb-blueprints';`,
    // The variables the docs share between fragments.
    'declare const app: App;',
    'declare const orders: BlueprintTable;',
    'declare const tasks: BlueprintTable;',
    'declare const table: BlueprintTable;',
    'declare const handler: lambda.Function;',
    'declare const worker: lambda.Function;',
    'declare const analyticsConsumer: lambda.Function;',
    'declare const vpc: ec2.IVpc;',
    'declare const key: Key;',
    'declare const tenantRole: IRole;',
    'declare const partitionKey: { name: string; type: AttributeType };',
  ].join('\n');
}

/** The names `src/index.ts` exports, read with the compiler. */
function publicNames(): string[] {
  const index = path.join(ROOT, 'src', 'index.ts');
  const program = ts.createProgram([index], { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, skipLibCheck: true, noEmit: true });
  const checker = program.getTypeChecker();
  const symbol = checker.getSymbolAtLocation(program.getSourceFile(index)!)!;
  return checker.getExportsOfModule(symbol).map((s) => s.getName()).filter((n) => n !== 'rules').sort();
}

function compileTypeScript(snippets: Snippet[], dir: string): string[] {
  const prelude = fragmentPrelude();
  const preludeLines = prelude.split('\n').length;
  const sources = new Map<string, { snippet: Snippet; offset: number }>();
  snippets.forEach((snippet, i) => {
    const file = path.join(dir, `snippet${i}.ts`);
    const isModule = /^\s*import\s/m.test(snippet.code);
    // A fragment runs in a stack's constructor; its line numbers map back to the markdown after the prelude.
    const text = isModule
      ? `${snippet.code}\nexport {};\n`
      : `${prelude}\nexport class Snippet${i} extends Stack {\n  constructor(scope: Construct, id: string) {\n    super(scope, id);\n${snippet.code}\n  }\n}\n`;
    fs.writeFileSync(file, text);
    sources.set(file, { snippet, offset: isModule ? 0 : preludeLines + 3 });
  });
  const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.dev.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const options: ts.CompilerOptions = {
    ...parsed.options,
    noEmit: true,
    // Docs show the lines that matter: a fragment need not use every name the prelude imports.
    noUnusedLocals: false,
    noUnusedParameters: false,
    rootDir: undefined,
  };
  const program = ts.createProgram([...sources.keys()], options);
  return ts.getPreEmitDiagnostics(program)
    .filter((d) => d.file !== undefined && sources.has(d.file.fileName))
    .map((d) => {
      const { snippet, offset } = sources.get(d.file!.fileName)!;
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      return `${snippet.file}:${snippet.line + 1 + line - offset}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
}

function parsePython(snippets: Snippet[]): string[] {
  return snippets.flatMap((snippet) => {
    const run = spawnSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: snippet.code, encoding: 'utf8' });
    return run.status === 0 ? [] : [`${snippet.file}:${snippet.line}: ${run.stderr.trim().split('\n').pop()}`];
  });
}

function main(): void {
  const docs = fs.existsSync(path.join(ROOT, 'docs'))
    ? fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => path.join(ROOT, 'docs', f))
    : [];
  const snippets = [path.join(ROOT, 'README.md'), ...docs].flatMap(snippetsOf);
  const typescript = snippets.filter((s) => s.language === 'ts' || s.language === 'typescript');
  const python = snippets.filter((s) => s.language === 'python' || s.language === 'py');
  // Inside the repository, so that 'cdk-dynamodb-blueprints' resolves through tsconfig.dev.json's paths.
  const dir = fs.mkdtempSync(path.join(ROOT, '.snippets-'));
  try {
    const errors = [...compileTypeScript(typescript, dir), ...parsePython(python)];
    if (errors.length > 0) {
      console.error(`${errors.length} problem(s) in the docs' code blocks:\n${errors.join('\n')}`);
      process.exit(1);
    }
    console.log(`docs: ${typescript.length} TypeScript and ${python.length} Python code block(s) compile, in ${1 + docs.length} file(s)`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
