import * as fs from 'fs';
import * as path from 'path';
import * as api from '../src';

/** The names src/ declares as exported classes and enums, read from the sources. */
function declaredClassesAndEnums(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(file);
      } else if (entry.name.endsWith('.ts')) {
        for (const match of fs.readFileSync(file, 'utf8').matchAll(/^export (?:abstract )?(?:class|enum) (\w+)/gm)) {
          names.add(match[1]);
        }
      }
    }
  };
  walk(path.join(__dirname, '..', 'src'));
  return names;
}

// jsii carries classes, interfaces and enums to Python, Java, .NET and Go; an exported const or function
// exists only in TypeScript. Interfaces leave nothing at run time, so every value exported is checked.
test('the package exports only classes and enums at run time (and the rules namespace, TypeScript only like cdk-nag\'s)', () => {
  const declared = declaredClassesAndEnums();
  const invisible = Object.keys(api).filter((name) => name !== 'rules' && !declared.has(name));
  expect(invisible).toEqual([]);
  expect(Object.keys(api)).toEqual(expect.arrayContaining(['BlueprintTable', 'DaxCluster', 'StreamConsumer', 'IndexScope']));
});
