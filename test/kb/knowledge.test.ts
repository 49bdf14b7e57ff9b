/** Knowledge files: validation with file and line, and retrieval outcomes. */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { isLive, loadKnowledgeDir, parseKnowledgeFile, type KnowledgeEntry } from "../../src/kb/entries.js";
import { KnowledgeRetriever } from "../../src/kb/retriever.js";
import { TextAnalyzer } from "../../src/nlp/analyzer.js";
import { demoLexicon } from "../../src/nlp/lexicon.js";

const good = `- id: shipping-free-threshold
  question: 买多少钱包邮？
  similar: [满多少免运费, 你们包邮吗, 运费怎么算的]
  answer: 单笔订单商品金额满 99 元包邮。
  category: shipping
  tags: [运费]
`;

describe("knowledge files", () => {
  it("reads a valid file", () => {
    const { entries, problems } = parseKnowledgeFile("shipping.yaml", good);
    expect(problems).toEqual([]);
    expect(entries).toMatchObject([{ id: "shipping-free-threshold", enabled: true, similar: ["满多少免运费", "你们包邮吗", "运费怎么算的"], line: 1 }]);
  });

  it("names the file and line of a YAML syntax error", () => {
    const { entries, problems } = parseKnowledgeFile("broken.yaml", `${good}- id: x\n  question: [unclosed\n`);
    expect(entries).toEqual([]);
    expect(problems[0]).toMatchObject({ file: "broken.yaml" });
    expect(problems[0]!.line).toBeGreaterThanOrEqual(8);
  });

  it("names the field and its line, and keeps the valid entries of the file", () => {
    const text = `${good}- id: Bad_Id
  question: 运费险怎么赔
  answer: 退货后自动理赔。
  category: shipping
  quickReplies: [{label: 退货, payload: "return please"}]
`;
    const { entries, problems } = parseKnowledgeFile("shipping.yaml", text);
    expect(entries.map((e) => e.id)).toEqual(["shipping-free-threshold"]);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 7, message: expect.stringContaining("id must be kebab-case") }),
        expect.objectContaining({ line: 11, message: expect.stringContaining("quickReplies.0.payload") }),
      ]),
    );
  });

  it("loads a folder: a broken file does not stop the others, and a duplicate id is refused", async () => {
    const dir = await mkdtemp(join(tmpdir(), "kefu-kb-"));
    await writeFile(join(dir, "a.yaml"), good);
    await writeFile(join(dir, "b.yaml"), good);
    await writeFile(join(dir, "c.yaml"), "- [this is: not an entry");
    const { entries, problems } = await loadKnowledgeDir(dir);
    expect(entries.map((e) => [e.id, e.file])).toEqual([["shipping-free-threshold", "a.yaml"]]);
    expect(problems.map((p) => p.file).sort()).toEqual(["b.yaml", "c.yaml"]);
    expect(problems.find((p) => p.file === "b.yaml")!.message).toContain("already used in a.yaml:1");
  });

  it("is live while enabled and not past validUntil", () => {
    expect(isLive({ enabled: true, validUntil: "2026-12-31" }, "2026-12-31")).toBe(true);
    expect(isLive({ enabled: true, validUntil: "2026-12-31" }, "2027-01-01")).toBe(false);
    expect(isLive({ enabled: false }, "2026-01-01")).toBe(false);
  });
});

describe("knowledge retrieval", () => {
  const entry = (id: string, question: string, similar: string[], extra: Partial<KnowledgeEntry> = {}): KnowledgeEntry => ({
    id,
    question,
    similar,
    answer: `${question}的答案`,
    category: id.split("-")[0]!,
    tags: [],
    enabled: true,
    ...extra,
  });
  const entries = [
    entry("shipping-free-threshold", "买多少钱包邮", ["满多少免运费", "你们包邮吗", "运费怎么算"]),
    entry("returns-no-reason", "七天无理由退货怎么申请", ["不想要了可以退吗", "七天内能退货吗", "无理由退货的条件"]),
    entry("refund-timing", "退款多久到账", ["钱什么时候退回来", "退款几天能到", "退款到哪里了"]),
    entry("invoice-how", "怎么开发票", ["发票在哪里开", "可以开公司抬头吗", "电子发票怎么下载"]),
    entry("holiday-shipping", "春节期间发货吗", ["过年发不发货", "春节放假安排"], { validUntil: "2026-02-20" }),
  ];
  let retriever: KnowledgeRetriever;
  beforeAll(async () => {
    const lexicon = demoLexicon({ terms: ["七天无理由"], synonyms: [["退款", "退钱", "返款"], ["发票", "开票"]] });
    // Lexical only (no encoder), with thresholds suited to its cosine scores.
    retriever = new KnowledgeRetriever(entries, await TextAnalyzer.create(lexicon), lexicon.synonyms, { answer: 0.5, suggest: 0.25 });
  });
  const now = new Date("2026-11-20T12:00:00+08:00");

  it("answers a close paraphrase with the right entry", () => {
    const r = retriever.retrieve("買多少錢包郵啊？", now);
    expect(r.outcome).toBe("answer");
    expect(r.hits[0]!.id).toBe("shipping-free-threshold");
  });

  it("matches through synonyms: 退钱 finds the refund entry", () => {
    expect(retriever.search("退钱多久到账", now)[0]!.id).toBe("refund-timing");
  });

  it("suggests when the match is partial, and gives up on unrelated text", () => {
    const partial = retriever.retrieve("开票", now);
    expect(partial.outcome).not.toBe("none");
    expect(partial.hits[0]!.id).toBe("invoice-how");
    expect(retriever.retrieve("今天天气怎么样", now)).toMatchObject({ outcome: "none" });
  });

  it("never returns an expired entry", () => {
    expect(retriever.search("春节期间发货吗", now).map((h) => h.id)).not.toContain("holiday-shipping");
    expect(retriever.search("春节期间发货吗", new Date("2026-01-10T12:00:00+08:00"))[0]!.id).toBe("holiday-shipping");
  });
});
