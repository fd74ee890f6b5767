import * as http from 'http';
import { AddressInfo } from 'net';
/** Loopback only, like DynamoDB Local itself. */
const LOOPBACK_HOST = '127.0.0.1';

/** A DynamoDB request as the proxy sees it. */
export interface ProxiedRequest {
  /** The operation, for example `UpdateItem`. */
  readonly operation: string;
  /** The parsed JSON body. */
  readonly body: any;
}

/** A proxy in front of DynamoDB Local that counts calls and fails the ones it is told to. */
export interface FaultProxy {
  readonly endpoint: string;
  /** Calls forwarded to DynamoDB Local, by operation. */
  readonly calls: Map<string, number>;
  /** Every call forwarded, in order. */
  readonly forwarded: ProxiedRequest[];
  /** Calls answered with an injected throttling error. */
  readonly injected: ProxiedRequest[];
  /** Decides which calls fail; replace it between phases. */
  shouldFail: (request: ProxiedRequest) => boolean;
  /**
   * Runs when DynamoDB Local has answered a forwarded call and before the answer goes back: the write is
   * done, the caller does not know it yet (where a timeout kills a function). The answer waits for it.
   */
  afterForward: (request: ProxiedRequest, statusCode: number) => void | Promise<void>;
  /** Total forwarded calls. */
  totalCalls(): number;
  resetCounts(): void;
  stop(): Promise<void>;
}

/**
 * Starts an HTTP proxy on 127.0.0.1 (a free port) that forwards DynamoDB API calls to `target`, counting
 * them by operation, and answers the calls `shouldFail` picks with a `ProvisionedThroughputExceededException`,
 * as a throttled DynamoDB would.
 */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const targetUrl = new URL(target);
  const calls = new Map<string, number>();
  const injected: ProxiedRequest[] = [];
  const forwarded: ProxiedRequest[] = [];
  const proxy: FaultProxy = {
    endpoint: '',
    calls,
    forwarded,
    injected,
    shouldFail: () => false,
    afterForward: () => undefined,
    totalCalls: () => [...calls.values()].reduce((a, b) => a + b, 0),
    resetCounts: () => {
      calls.clear();
      injected.length = 0;
      forwarded.length = 0;
    },
    stop: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const operation = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
      let body: any;
      try {
        body = JSON.parse(raw.toString() || '{}');
      } catch {
        body = {};
      }
      const request = { operation, body };
      if (proxy.shouldFail(request)) {
        injected.push(request);
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
          message: 'Injected by the fault proxy: the request rate for this key is too high.',
        }));
        return;
      }
      calls.set(operation, (calls.get(operation) ?? 0) + 1);
      forwarded.push(request);
      const upstream = http.request({
        host: targetUrl.hostname,
        port: targetUrl.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: targetUrl.host },
      }, (up) => {
        void Promise.resolve(proxy.afterForward(request, up.statusCode ?? 500)).then(() => {
          res.writeHead(up.statusCode ?? 500, up.headers);
          up.pipe(res);
        });
      });
      upstream.on('error', (err) => {
        res.writeHead(502);
        res.end(err.message);
      });
      upstream.end(raw);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK_HOST, resolve));
  (proxy as { endpoint: string }).endpoint = `http://${LOOPBACK_HOST}:${(server.address() as AddressInfo).port}`;
  return proxy;
}
