import * as fs from 'fs';
import * as path from 'path';

// The README's and the guide's handler is bench/stream-probe/readme-handler.ts, which the benchmark and the
// scenarios run on DynamoDB Local (INSERT, MODIFY, REMOVE and time-to-live records): the docs must show it
// as it is.
const root = path.join(__dirname, '..', '..');
const source = fs.readFileSync(path.join(root, 'bench/stream-probe/readme-handler.ts'), 'utf8');
const handler = source.slice(source.indexOf('// README begin\n') + '// README begin\n'.length, source.indexOf('// README end'));

test.each(['README.md', 'docs/stream-consumers.md'])('%s shows the handler the scenarios run, as it is', (doc) => {
  expect(handler).toMatch(/createTransactionalStreamHandler/);
  expect(fs.readFileSync(path.join(root, doc), 'utf8')).toContain(handler);
});
