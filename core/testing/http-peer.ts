/**
 * A real local HTTP server for tests of code that talks to an API server (house style §12:
 * a real peer at a narrow seam, never a mock of Kubernetes): every request it receives waits
 * in a queue until the test takes it (`next`) and answers it as it likes: a JSON body, an
 * error status, or a watch stream fed event by event.
 */
import http, { type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the peer received, and the ways to answer it. */
export class PeerRequest {
  readonly method: string;
  /** The path without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly #res: ServerResponse;

  constructor(req: http.IncomingMessage, body: string, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://peer");
    this.method = req.method ?? "GET";
    this.path = url.pathname;
    this.query = url.searchParams;
    this.headers = req.headers;
    this.body = body;
    this.#res = res;
  }

  /** Answers with `status` and `body` as JSON. */
  reply(status: number, body: unknown): void {
    this.#res.writeHead(status, { "content-type": "application/json" });
    this.#res.end(JSON.stringify(body));
  }

  /** Answers with a Kubernetes `Status` of `code`. */
  status(code: number, reason: string, message = reason): void {
    this.reply(code, {
      kind: "Status",
      apiVersion: "v1",
      status: "Failure",
      reason,
      message,
      code,
    });
  }

  /** Starts a 200 streaming answer (a watch). */
  open(): void {
    this.#res.writeHead(200, { "content-type": "application/json" });
    this.#res.flushHeaders();
  }

  /** Writes one watch event line. */
  event(type: string, object: unknown): void {
    this.write(`${JSON.stringify({ type, object })}\n`);
  }

  /** Writes raw text to an open stream. */
  write(text: string): void {
    this.#res.write(text);
  }

  /** Ends the answer (the server ending a watch). */
  end(): void {
    this.#res.end();
  }

  /** Resolves when the client went away (it aborted a stream). */
  closed(): Promise<void> {
    return new Promise((resolve) => {
      if (this.#res.closed) resolve();
      else this.#res.on("close", () => resolve());
    });
  }
}

export class HttpPeer {
  readonly url: string;
  readonly #server: http.Server;
  readonly #queue: PeerRequest[] = [];
  readonly #waiting: Array<(request: PeerRequest) => void> = [];

  private constructor(server: http.Server) {
    this.#server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Starts a peer on a free loopback port. */
  static async start(): Promise<HttpPeer> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const peer = new HttpPeer(server);
    server.on("request", (req, res) => peer.#receive(req, res));
    return peer;
  }

  /** The next request not taken yet (waits for it up to `timeoutMs` of real time). */
  next(timeoutMs = 5_000): Promise<PeerRequest> {
    const queued = this.#queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const waiter = (request: PeerRequest): void => {
        clearTimeout(timer);
        resolve(request);
      };
      const timer = setTimeout(() => {
        this.#waiting.splice(this.#waiting.indexOf(waiter), 1);
        reject(new Error(`no request reached the peer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiting.push(waiter);
    });
  }

  /** Requests received and not taken yet. */
  pending(): number {
    return this.#queue.length;
  }

  /** Stops listening and cuts every open connection. */
  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #receive(req: http.IncomingMessage, res: ServerResponse): void {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      const request = new PeerRequest(req, body, res);
      const waiter = this.#waiting.shift();
      if (waiter === undefined) this.#queue.push(request);
      else waiter(request);
    });
  }
}
