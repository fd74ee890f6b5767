import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import * as api from '../src';

/** The type declarations of the modules src/index.ts re-exports: classes, enums, interfaces and structs. */
function exportedDeclarations(): Array<{ readonly kind: string; readonly name: string }> {
  const src = path.join(__dirname, '..', 'src');
  const modules = [...fs.readFileSync(path.join(src, 'index.ts'), 'utf8').matchAll(/^export \* from '\.\/(.+)';$/gm)].map((m) => m[1]);
  expect(modules.length).toBeGreaterThan(10);
  return modules.flatMap((module) => [...fs.readFileSync(path.join(src, `${module}.ts`), 'utf8')
    .matchAll(/^export (?:abstract )?(class|enum|interface) (\w+)/gm)].map((m) => ({ kind: m[1], name: m[2] })));
}

// jsii carries classes, interfaces and enums to Python, Java, .NET and Go; an exported const or function
// exists only in TypeScript. Interfaces leave nothing at run time, so every value exported is checked.
test('the package exports only classes and enums at run time (and the rules namespace, TypeScript only like cdk-nag\'s)', () => {
  const declared = new Set(exportedDeclarations().filter((d) => d.kind !== 'interface').map((d) => d.name));
  const invisible = Object.keys(api).filter((name) => name !== 'rules' && !declared.has(name));
  expect(invisible).toEqual([]);
  expect(Object.keys(api)).toEqual(expect.arrayContaining(['BlueprintTable', 'DaxCluster', 'TableStreamConsumer', 'IndexScope']));
});

/** The type names (the last part of each fqn) of a jsii assembly, plain or gzipped as aws-cdk-lib ships it. */
function jsiiTypeNames(assembly: string): Set<string> {
  const file = require.resolve(`${assembly}/package.json`).replace(/package\.json$/, '.jsii');
  const text = fs.existsSync(`${file}.gz`) ? zlib.gunzipSync(fs.readFileSync(`${file}.gz`)).toString() : fs.readFileSync(file, 'utf8');
  return new Set(Object.keys(JSON.parse(text).types).map((fqn) => fqn.split('.').pop()!));
}

// A user imports aws-cdk-lib and cdk-nag beside this package: a type of the same name and another
// meaning is shadowed by a Python star import and needs its full name in Java (CapacityMode, StreamConsumer).
test('no exported type has the name of an aws-cdk-lib or cdk-nag type', () => {
  const declared = exportedDeclarations().map((d) => d.name);
  expect(declared).toEqual(expect.arrayContaining(['BlueprintTable', 'TableStreamConsumerProps', 'IndexProjection']));
  for (const assembly of ['aws-cdk-lib', 'cdk-nag']) {
    const theirs = jsiiTypeNames(assembly);
    expect(theirs.size).toBeGreaterThan(10);
    expect(declared.filter((name) => theirs.has(name)).map((name) => `${assembly}: ${name}`)).toEqual([]);
  }
});
