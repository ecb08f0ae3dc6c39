import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Only the loopback interface: these are development servers with secrets in their environment. */
export const HOST = "127.0.0.1";

export interface RunningServer {
  url: string;
  port: number;
  /** Stops taking requests, lets the ones in flight finish, then releases what the server held. */
  close(): Promise<void>;
}

export interface HttpHandler {
  /** Answers one request; `stopping` says a shutdown has begun (answer 503 with Connection: close). */
  handle(request: IncomingMessage, response: ServerResponse, stopping: boolean): Promise<void>;
  /** Releases the store and files, after the last request (or when the port cannot be opened). */
  release(): Promise<void>;
  log(line: string): void;
}

/**
 * Listens on the loopback interface and tracks every request in flight, so a SIGTERM finishes (and makes durable)
 * what was already taken before the server lets go of its store.
 */
export async function listenLoopback(port: number, handler: HttpHandler): Promise<RunningServer> {
  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  const server = createServer((request, response) => {
    const work = handler
      .handle(request, response, stopping)
      .catch((error: unknown) =>
        handler.log(`internal error: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => inFlight.delete(work));
    inFlight.add(work);
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((listening, failed) => {
    server.once("error", failed);
    server.listen(port, HOST, () => {
      server.off("error", failed);
      listening();
    });
  }).catch(async (error: unknown) => {
    await handler.release();
    throw error;
  });
  const bound = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${HOST}:${bound}`,
    port: bound,
    close() {
      closing ??= (async () => {
        stopping = true;
        const closed = new Promise<void>((done) => server.close(() => done()));
        server.closeIdleConnections();
        while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
        server.closeAllConnections();
        await closed;
        await handler.release();
      })();
      return closing;
    },
  };
}
