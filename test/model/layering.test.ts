import * as fs from 'fs';
import * as path from 'path';

/**
 * Dependencies point down: the rule pack reads tables through the model only, constructs never
 * import the rule pack, and shared private helpers import no concern folder.
 */
const SRC = path.join(__dirname, '..', '..', 'src');

/** The `.ts` files under `dir`, at any depth. */
function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return sourceFiles(file);
    }
    return entry.name.endsWith('.ts') ? [file] : [];
  });
}

/** The `src/` folders a file under `src/<folder>/` imports from, by relative import. */
function importedFolders(folder: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const file of sourceFiles(path.join(SRC, folder))) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/from '(\.[^']+)'/g)) {
      const target = path.relative(SRC, path.resolve(path.dirname(file), m[1])).split(path.sep)[0];
      const list = result.get(target) ?? [];
      list.push(path.relative(SRC, file));
      result.set(target, list);
    }
  }
  return result;
}

test('nag/ depends on the model only, and on private/ leaf helpers (the host language\'s spelling)', () => {
  expect([...importedFolders('nag').keys()].filter((f) => f !== 'nag').sort()).toEqual(['model', 'private']);
  expect(importedFolders('nag').get('private')!.length).toBe(1);
});

test('the model depends on nothing else of the library', () => {
  expect([...importedFolders('model').keys()].filter((f) => f !== 'model')).toEqual([]);
});

test.each(['grants', 'dax', 'capacity', 'streams', 'access-patterns', 'backup', 'monitoring', 'migration', 'table', 'kinesis'])(
  '%s/ never imports nag/', (folder) => {
    expect(importedFolders(folder).get('nag') ?? []).toEqual([]);
  });

test('private/ imports no concern folder (validation.ts used to import monitoring/)', () => {
  expect([...importedFolders('private').keys()].filter((f) => f !== 'private')).toEqual([]);
});

test('access patterns are declarations: access-patterns/ never imports heat/, which reads them', () => {
  expect(importedFolders('access-patterns').get('heat') ?? []).toEqual([]);
  expect([...importedFolders('heat').keys()]).toContain('access-patterns');
});

test('cost/ and capacity/ never import access-patterns/, heat/ or table/', () => {
  for (const folder of ['cost', 'capacity']) {
    const imported = importedFolders(folder);
    expect([imported.get('access-patterns'), imported.get('heat'), imported.get('table')].flat().filter(Boolean)).toEqual([]);
  }
});

test('no import circle among the files of model/ (parse.ts and table-definition.ts used to import each other)', () => {
  const dir = path.join(SRC, 'model');
  const edges = new Map<string, string[]>();
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    edges.set(file, [...text.matchAll(/from '\.\/([^']+)'/g)].map((m) => `${m[1]}.ts`));
  }
  const circles: string[] = [];
  const visit = (file: string, trail: string[]) => {
    if (trail.includes(file)) {
      circles.push([...trail.slice(trail.indexOf(file)), file].join(' -> '));
      return;
    }
    for (const next of edges.get(file) ?? []) {
      visit(next, [...trail, file]);
    }
  };
  [...edges.keys()].forEach((f) => visit(f, []));
  expect(circles).toEqual([]);
});

test('streams/ reads tables through the model in one file, for the tables it cannot ask (a BlueprintTable answers schema() and streamViewType)', () => {
  expect(importedFolders('streams').get('model')).toEqual([path.join('streams', 'table-facts.ts')]);
});

test('no file under src/ is over 500 lines: a reader holds each at once', () => {
  const all = sourceFiles(SRC).map((file) => [path.relative(SRC, file), fs.readFileSync(file, 'utf8').split('\n').length - 1] as const);
  expect(all.length).toBeGreaterThan(100);
  expect(all.filter(([, n]) => n > 500)).toEqual([]);
});
