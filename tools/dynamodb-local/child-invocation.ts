/*
 * One invocation of a bundled handler in a child process of its own, which a test can kill with SIGKILL
 * at any moment (from a fault proxy's hook, say), where a timeout would kill a Lambda function: writes
 * the handler had not made never happen, and the next invocation starts cold.
 */
import { ChildProcess, spawn } from 'child_process';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { ProxiedRequest } from './fault-proxy';

// The child: loads the bundle, builds a context counting down from TIMEOUT_MS, runs one event from stdin.
const CHILD = `
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', async () => {
  const event = JSON.parse(Buffer.concat(chunks).toString());
  const mod = require(process.env.LOCAL_INVOKE_BUNDLE);
  const deadline = Date.now() + Number(process.env.TIMEOUT_MS || 60000);
  const context = { functionName: process.env.AWS_LAMBDA_FUNCTION_NAME, awsRequestId: 'child', getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
  try {
    const result = await mod[process.env.LOCAL_INVOKE_EXPORT || 'handler'](event, context);
    process.stdout.write('RESULT ' + JSON.stringify(result ?? null) + '\\n');
  } catch (err) {
    process.stdout.write('ERROR ' + JSON.stringify(String(err && err.stack || err)) + '\\n');
  }
});
`;

/** How a child invocation ended. */
export interface ChildOutcome {
  readonly killed: boolean;
  readonly result?: any;
  readonly error?: string;
}

/** The child process of the invocation running now (to kill it from a proxy hook). */
export let currentChild: ChildProcess | undefined;

/**
 * Runs one invocation of the bundled handler in a child process; resolves when it exits (or is killed).
 * `signal` kills it, as Lambda stops a function at its timeout.
 */
export function invokeInChild(
  bundlePath: string, env: Record<string, string>, event: unknown, timeoutMs = 60_000, signal?: AbortSignal,
): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CHILD], {
      env: { ...env, LOCAL_INVOKE_BUNDLE: bundlePath, TIMEOUT_MS: String(timeoutMs) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    currentChild = child;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    // A bound on every child: a hung one is killed as Lambda would at its timeout.
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 10_000);
    const stop = () => child.kill('SIGKILL');
    signal?.addEventListener('abort', stop, { once: true });
    child.on('error', reject);
    child.on('exit', (_code, exitSignal) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', stop);
      if (currentChild === child) {
        currentChild = undefined;
      }
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT ') || l.startsWith('ERROR '));
      if (exitSignal === 'SIGKILL') {
        resolve({ killed: true });
      } else if (line?.startsWith('RESULT ')) {
        resolve({ killed: false, result: JSON.parse(line.slice(7)) });
      } else {
        resolve({ killed: false, error: line ? JSON.parse(line.slice(6)) : `no result; stderr: ${stderr.slice(-2000)}` });
      }
    });
    child.stdin.end(JSON.stringify(event));
  });
}

/** Kills the running child with SIGKILL and waits for it to exit. */
export function killCurrentChild(): Promise<void> {
  const child = currentChild;
  if (!child || child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/**
 * A `FaultProxy.shouldFail` that kills the running child when it sends `operation`, as a timeout would
 * just before that call: the call never reaches DynamoDB Local.
 */
export function killChildBefore(operation: string): (request: ProxiedRequest) => boolean {
  return (request) => {
    if (request.operation === operation) {
      void killCurrentChild();
      return true;
    }
    return false;
  };
}

/**
 * A stream function for LocalEventSourceMapping that runs each invocation in a fresh child process, killed
 * when the mapping times the invocation out.
 */
export function childStreamFunction(
  bundlePath: string, env: Record<string, string>,
): (event: DynamoDBStreamEvent, context: Context, signal?: AbortSignal) => Promise<DynamoDBBatchResponse> {
  return async (event, context, signal) => {
    const outcome = await invokeInChild(bundlePath, env, event, context.getRemainingTimeInMillis(), signal);
    if (outcome.killed || outcome.error) {
      throw new Error(outcome.error ?? 'killed');
    }
    return outcome.result as DynamoDBBatchResponse;
  };
}
