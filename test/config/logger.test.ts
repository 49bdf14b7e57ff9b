/** Personal data and secrets never reach the logs, even inside an error that quotes a query's parameters. */
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, maskPii } from "../../src/shared/logger.js";

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { log: createLogger("info", stream as never), lines };
}

describe("logs", () => {
  it("masks phones, tokens and password hashes in free text", () => {
    expect(maskPii("call 13812345678 or 021-5555")).toBe("call 138****5678 or 021-5555");
    expect(maskPii("Bearer kat_abcdefghijklmnopqrstuvwxyz012345")).toBe("Bearer kat_[redacted]");
    expect(maskPii(`token ${"a1".repeat(32)}`)).toBe("token [redacted]");
    expect(maskPii("scrypt$32768$8$1$c2FsdA==$aGFzaA== stored")).toBe("scrypt$[redacted] stored");
  });

  it("redacts fields and masks errors that carry query parameters", () => {
    const { log, lines } = capture();
    log.info({ customer: { phone: "13812345678", address: "上海市浦东新区张杨路100号" }, token: "kat_secretsecretsecretsecret" }, "fields");
    const err = Object.assign(new Error('Failed query: update orders set address = $1\nparams: {"phone":"13912345678","name":"张伟"}'), {
      params: ["13912345678", "张杨路100号"],
      query: "update orders set address = $1",
    });
    log.error({ err }, "failed");
    const out = lines.join("");
    expect(out).not.toContain("13812345678");
    expect(out).not.toContain("13912345678");
    expect(out).not.toContain("张杨路100号");
    expect(out).not.toContain("kat_secret");
    expect(out).toContain("139****5678");
    expect(out).toContain("[redacted]");
  });
});
