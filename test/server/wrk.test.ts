/**
 * The wrk load generator of bench:http (eval/lib/wrk.ts) against a stand-in of the conversation API:
 * every thread follows its own conversations (the id from each 201 goes into the messages' paths),
 * bodies reach the server byte for byte (Chinese text, quotes, digits after escapes), and the totals
 * it reports add up to what the server saw.
 */
import { execFileSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runWrk, type WrkJourney } from "../../eval/lib/wrk.js";

const hasWrk = (() => {
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" });
    return true;
  } catch (error) {
    // wrk --version prints its usage and exits 1: it is there.
    return (error as { status?: number }).status === 1;
  }
})();

describe.skipIf(!hasWrk)("bench:http's wrk generator", () => {
  let server: Server;
  let url: string;
  const bodies = new Map<string, string[]>();
  let started = 0;
  let unknown = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (d: string) => (body += d));
      req.on("end", () => {
        if (req.method === "POST" && req.url === "/v1/conversations") {
          const id = `cv_${String(++started).padStart(16, "0")}`;
          bodies.set(id, [body]);
          res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ id, replies: [], state: "bot" }));
          return;
        }
        const id = /^\/v1\/conversations\/([^/]+)\/messages$/.exec(req.url ?? "")?.[1];
        const seen = id ? bodies.get(id) : undefined;
        if (!seen) {
          unknown++;
          res.writeHead(404, { "content-type": "application/json" }).end("{}");
          return;
        }
        seen.push(body);
        const handoff = body.includes("转人工");
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ replies: [{ type: handoff ? "handoff" : "text" }] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("plays each journey in order on its own conversation and counts what was answered", async () => {
    const journeys: WrkJourney[] = [
      { start: JSON.stringify({ customerId: "c-1", customerToken: "a\"b\\c" }), messages: [JSON.stringify({ text: "2026111877967622" }), JSON.stringify({ text: "订单到哪了 转人工" })] },
      { start: "{}", messages: [JSON.stringify({ payload: "/choose 1" })] },
    ];
    const filler = JSON.stringify({ text: "好的，谢谢" });
    const result = await runWrk({ url, connections: 2, seconds: 1, journeys, steps: 2, filler });

    expect(unknown).toBe(0);
    expect(result.errors).toBe(0);
    expect(result.non2xx).toBe(0);
    // wrk stops mid-conversation: every conversation but the last of each thread is whole.
    const complete = [...bodies.values()].filter((b) => b.length === 3);
    expect(complete.length).toBeGreaterThan(10);
    for (const b of complete) {
      const journey = journeys.find((j) => j.start === b[0]);
      expect(journey, `a start body sent as ${b[0]}`).toBeDefined();
      expect(b.slice(1)).toEqual([0, 1].map((i) => journey!.messages[i] ?? filler));
    }
    // Both journeys were played (the two threads start on different ones).
    expect(new Set(complete.map((b) => b[0])).size).toBe(2);
    // wrk counts answers it read; a request in flight when it stops (at most one per thread) reached the server only.
    const messages = [...bodies.values()].reduce((sum, b) => sum + b.length - 1, 0);
    expect(messages - result.turns).toBeGreaterThanOrEqual(0);
    expect(messages - result.turns).toBeLessThanOrEqual(2);
    expect(messages + started - result.requests).toBeGreaterThanOrEqual(0);
    expect(messages + started - result.requests).toBeLessThanOrEqual(2);
    const handoffs = [...bodies.values()].reduce((sum, b) => sum + b.filter((x) => x.includes("转人工")).length, 0);
    expect(handoffs - result.handoffs).toBeGreaterThanOrEqual(0);
    expect(handoffs - result.handoffs).toBeLessThanOrEqual(2);
    expect(result.handoffs).toBeGreaterThan(5);
    expect(result.latencyP99Ms).toBeGreaterThan(0);
    expect(result.latencyP50Ms).toBeLessThanOrEqual(result.latencyP99Ms);
  });
});
