/*
 * Packs the runtime package (packages/stream-runtime) into dist/js, with the construct library's version, so
 * one release publishes both at the same version. It ships both module formats of every module of src/runtime:
 *
 * - CommonJS and declarations at the package root, compiled by `tsc -p packages/stream-runtime/tsconfig.json`
 *   (`require`, and TypeScript's `node10` resolution, which ignores `exports`);
 * - ES modules under `esm/`, compiled here with esbuild. A bundler resolves the `import` condition of the
 *   manifest's `exports` map to them, and through them takes Powertools' ES modules: one copy of each
 *   Powertools module in a handler's bundle, where the CommonJS build brought `@aws-lambda-powertools/commons`
 *   twice (a 76 KB handler instead of 50 KB).
 *
 * Every file under src/runtime is compiled, whatever their number or folders; the entry points are the
 * manifest's `exports` (RUNTIME_ENTRY_POINTS in .projenrc.ts), each checked to exist in both formats.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
// eslint-disable-next-line import/no-extraneous-dependencies
import * as esbuild from 'esbuild';

const root = path.join(__dirname, '..');
const sources = path.join(root, 'src', 'runtime');
const packageDir = path.join(root, 'packages', 'stream-runtime');
const compiled = path.join(packageDir, 'lib');
const version: string = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;

/** Files under `dir`, relative to it, at any depth. */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .map((f) => f.split(path.sep).join('/'));
}

/**
 * esbuild in bundle mode with every import left external, so each module stays a file of its own; a
 * relative import gets the `.mjs` file Node's ES module loader needs (it adds no extension, nor `/index`).
 */
const relativeImportsAsMjs: esbuild.Plugin = {
  name: 'relative-imports-as-mjs',
  setup(build) {
    build.onResolve({ filter: /^\.\.?(\/|$)/ }, (args) => {
      const target = path.resolve(args.resolveDir, args.path);
      if (fs.existsSync(`${target}.ts`)) {
        return { path: `${args.path}.mjs`, external: true };
      }
      if (fs.existsSync(path.join(target, 'index.ts'))) {
        return { path: `${args.path.replace(/\/$/, '')}/index.mjs`, external: true };
      }
      return { errors: [{ text: `${args.path} (imported from ${args.importer}) is neither a .ts file nor a folder with index.ts under src/runtime` }] };
    });
  },
};

async function main(): Promise<void> {
  const entryPoints = filesUnder(sources).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
  // The compiled twins of today's sources only: lib/ may keep a module since removed from src/runtime.
  const cjs = entryPoints.flatMap((f) => [f.replace(/\.ts$/, '.js'), f.replace(/\.ts$/, '.d.ts')]);
  const missing = cjs.filter((f) => !fs.existsSync(path.join(compiled, f)));
  if (missing.length > 0) {
    throw new Error(`${compiled} lacks ${missing.join(', ')}: run \`tsc -p packages/stream-runtime/tsconfig.json\` first (\`npx projen package:runtime\` does).`);
  }

  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'stream-runtime-'));
  try {
    for (const file of cjs) {
      fs.mkdirSync(path.dirname(path.join(staging, file)), { recursive: true });
      fs.copyFileSync(path.join(compiled, file), path.join(staging, file));
    }
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: entryPoints.map((f) => path.join(sources, f)),
      outbase: sources,
      outdir: path.join(staging, 'esm'),
      outExtension: { '.js': '.mjs' },
      bundle: true,
      packages: 'external',
      plugins: [relativeImportsAsMjs],
      format: 'esm',
      platform: 'node',
      target: 'node20',
      metafile: true,
      logLevel: 'warning',
    });
    const esm = Object.keys(result.metafile.outputs).map((f) => path.relative(staging, path.resolve(root, f)).split(path.sep).join('/'));

    const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
    const files = [...cjs, ...esm, 'README.md', 'LICENSE'].sort();
    // Every target of the exports map is a file of the package: an entry point renamed or moved in src/runtime fails here.
    const targets: string[] = Object.values(manifest.exports as Record<string, string | Record<string, string>>)
      .flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)))
      .map((t) => t.replace(/^\.\//, ''))
      .filter((t) => t !== 'package.json');
    const unknown = targets.filter((t) => !files.includes(t));
    if (unknown.length > 0) {
      throw new Error(`the runtime package's exports name ${unknown.join(', ')}, which src/runtime does not build: update RUNTIME_ENTRY_POINTS in .projenrc.ts and run \`npx projen\`.`);
    }
    fs.copyFileSync(path.join(packageDir, 'README.md'), path.join(staging, 'README.md'));
    fs.copyFileSync(path.join(root, 'LICENSE'), path.join(staging, 'LICENSE'));
    fs.writeFileSync(path.join(staging, 'package.json'), JSON.stringify({ ...manifest, version, files }, undefined, 2));
    const out = path.join(root, 'dist', 'js');
    fs.mkdirSync(out, { recursive: true });
    execFileSync('npm', ['pack', '--pack-destination', out], { cwd: staging, stdio: 'inherit' });
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
