/**
 * End to end in Chromium: the demo shop, the widget and the agent workbench over the whole app.
 * Screenshots of each step go to test-artifacts/web/.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { CHROMIUM, createAgent, hasChromium, launchBrowser, openPage, shot, startWebServer, type WebServer } from "./helpers.js";

const suite = hasChromium ? "widget and workbench in Chromium" : `browser tests (skipped: ${CHROMIUM} not installed)`;
const WAIT = { timeout: 10_000 };

describe.skipIf(!hasChromium)(suite, () => {
  let server: WebServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.close();
  });

  const newPage = (viewport = { width: 1280, height: 860 }) => openPage(browser, contexts, viewport, WAIT.timeout);

  /** The demo shop as one of the demo customers (through the page's own selector). */
  async function openShopAs(page: Page, customerId: string) {
    await page.goto(`${server.url}/`);
    await page.selectOption("#customer", customerId);
    await Promise.all([page.waitForURL(new RegExp(`customer=${customerId}`)), page.getByRole("button", { name: "切换" }).click()]);
  }

  async function openWidget(page: Page) {
    await page.getByRole("button", { name: /打开在线客服/ }).click();
    await page.locator(".log .msg.bot").first().waitFor(WAIT);
  }

  async function say(page: Page, text: string) {
    const input = page.getByRole("textbox", { name: "输入您的问题" });
    await input.fill(text);
    await input.press("Enter");
  }

  const status = (page: Page) => page.locator(".head .state");

  it("a signed-in shopper asks where the parcel is, picks an order and sees its tracking trail", async () => {
    const { page, errors } = await newPage();
    await openShopAs(page, "c-1002");
    await shot(page, "1-1-shop-as-li-na");
    await openWidget(page);
    expect(await page.locator(".log").textContent()).toContain("李娜");
    expect(await status(page).textContent()).toBe("在线");
    await shot(page, "1-2-widget-welcome");

    await say(page, "我的快递到哪了");
    const shipped = page.locator(".order-pick", { hasText: "运输中" }).first();
    await shipped.waitFor(WAIT);
    await shot(page, "1-3-order-list");
    const title = (await shipped.locator(".order-title").textContent())!;
    await shipped.click();

    const trail = page.locator(".logistics .timeline li");
    await trail.first().waitFor(WAIT);
    expect(await trail.count()).toBeGreaterThan(1);
    expect(await page.locator(".logistics .timeline li.latest").count()).toBe(1);
    expect(await page.locator(".msg.user").last().textContent()).toContain(title);
    await shot(page, "1-4-logistics-timeline");

    // A reload shows the same conversation again, with the clicked order by its label.
    await page.reload();
    await page.getByRole("button", { name: /打开在线客服/ }).click();
    await page.locator(".logistics .timeline li").first().waitFor(WAIT);
    expect(await page.locator(".msg.user").allTextContents()).toEqual([expect.stringContaining("我的快递到哪了"), expect.stringContaining(title)]);
    await shot(page, "1-5-after-reload");
    expect(errors).toEqual([]);
  });

  it("an angry shopper is handed over, and an agent accepts in the workbench and answers live", async () => {
    const shopper = await newPage();
    await openShopAs(shopper.page, "c-1002");
    await openWidget(shopper.page);
    await say(shopper.page, "你们这什么破快递，一个星期了还没到，气死我了！！！");
    const handoff = shopper.page.locator(".handoff");
    await handoff.waitFor(WAIT);
    expect(await handoff.locator(".queue").textContent()).toContain("第 1 位");
    expect(await status(shopper.page).textContent()).toBe("排队中 第1位");
    await shot(shopper.page, "2-1-shopper-handed-over");

    await createAgent(server.url, { username: "xiaowang", name: "小王", password: "change-me-please", groups: ["complaints", "after_sale"] });
    const agent = await newPage({ width: 1400, height: 900 });
    // Counts the beeps: the workbench plays one when a conversation is offered.
    await agent.page.addInitScript(() => {
      const original = AudioContext.prototype.createOscillator;
      (window as unknown as { beeps: number }).beeps = 0;
      AudioContext.prototype.createOscillator = function (this: AudioContext) {
        (window as unknown as { beeps: number }).beeps++;
        return original.call(this);
      };
    });
    await agent.page.goto(`${server.url}/agent`);
    await agent.page.getByLabel("用户名").fill("xiaowang");
    await agent.page.getByLabel("密码").fill("change-me-please");
    await agent.page.getByRole("button", { name: "登录" }).click();
    await agent.page.locator('.conn[data-state="open"]').waitFor(WAIT);
    await shot(agent.page, "2-2-workbench-logged-in");

    // Going online takes the waiting conversation: the offer arrives on the live stream.
    await agent.page.selectOption("#agent-status", "online");
    const alert = agent.page.getByRole("alert").filter({ hasText: "新的会话接入请求" });
    await alert.waitFor(WAIT);
    expect(await alert.textContent()).toContain("李娜");
    const accept = agent.page.getByRole("button", { name: /接入 李娜/ });
    await accept.waitFor(WAIT);
    expect(await agent.page.locator(".conv-item .timer").first().textContent()).toMatch(/等待 .*秒内接入/);
    expect(await agent.page.evaluate(() => (window as unknown as { beeps: number }).beeps)).toBeGreaterThan(0);
    await shot(agent.page, "2-3-offer-arrived");

    await accept.click();
    await agent.page.locator(".context").waitFor(WAIT);
    const context = (await agent.page.locator(".context").textContent())!;
    expect(context).toContain("投诉");
    expect(context).toContain("分配规则");
    expect(await agent.page.locator(".trace").allTextContents()).toContainEqual(expect.stringContaining("意图 complaint"));
    expect(await agent.page.locator(".side .order").count()).toBeGreaterThan(0);
    // The shopper's widget hears that the agent joined.
    await shopper.page.locator(".head .state", { hasText: "人工客服 小王" }).waitFor(WAIT);

    await agent.page.getByRole("textbox", { name: "回复顾客" }).fill("您好，我是小王，非常抱歉让您久等了，我马上帮您催这个快递。");
    await agent.page.getByRole("button", { name: "发送", exact: true }).click();
    await agent.page.locator(".m.agent").first().waitFor(WAIT);
    expect(await agent.page.getByRole("textbox", { name: "回复顾客" }).inputValue()).toBe("");
    await shot(agent.page, "2-4-agent-replied");

    const reply = shopper.page.locator(".msg.agent", { hasText: "我马上帮您催这个快递" });
    await reply.waitFor(WAIT);
    expect(await reply.locator(".sender").textContent()).toBe("人工客服 小王");
    await shot(shopper.page, "2-5-shopper-sees-agent-reply");

    // The connection drops (the server ends every event stream): the widget says so, the browser
    // reconnects with Last-Event-ID, and what the agent sent meanwhile arrives once.
    server.dropStreams();
    await shopper.page.locator(".head .state", { hasText: "连接中断，正在重连…" }).waitFor(WAIT);
    await agent.page.getByRole("textbox", { name: "回复顾客" }).fill("请问外包装有破损吗？");
    await agent.page.getByRole("button", { name: "发送", exact: true }).click();
    await shopper.page.locator(".msg.agent", { hasText: "外包装有破损吗" }).waitFor(WAIT);
    await shopper.page.locator(".head .state", { hasText: "人工客服 小王" }).waitFor(WAIT);
    expect(await shopper.page.locator(".msg.agent", { hasText: "外包装有破损吗" }).count()).toBe(1);

    // A canned reply, a product card and an order card, then the agent closes with a summary.
    await agent.page.getByRole("button", { name: "致歉（物流慢）" }).click();
    await shopper.page.locator(".msg.agent", { hasText: "已经联系快递加急处理" }).waitFor(WAIT);
    await agent.page.getByRole("button", { name: /把订单 \d+ 作为卡片发给顾客/ }).first().click();
    await shopper.page.locator(".msg.agent .order-card").waitFor(WAIT);
    await agent.page.getByLabel("商品卡片").fill("p-af333");
    await agent.page.getByRole("button", { name: "发送商品卡片" }).click();
    const card = shopper.page.locator(".msg.agent .product-card");
    await card.waitFor(WAIT);
    expect(await card.locator(".price").textContent()).toMatch(/^¥\d+\.\d\d$/);
    expect(await card.locator("a.buy").getAttribute("href")).toBe(`${server.url}/products/p-af333`);
    await shot(shopper.page, "2-6-cards");
    await agent.page.getByLabel("结束会话").fill("物流延误，已联系快递加急");
    await agent.page.getByRole("button", { name: "结束会话" }).click();

    // The shopper is asked to rate the service, 1 to 5.
    const rating = shopper.page.getByRole("group", { name: "服务评价" });
    await rating.waitFor(WAIT);
    expect(await status(shopper.page).textContent()).toBe("会话已结束");
    await rating.getByRole("button", { name: /^4 分/ }).click();
    await rating.getByLabel("评价内容（选填）").fill("小王很耐心");
    await shot(shopper.page, "2-7-rating");
    await rating.getByRole("button", { name: "提交评价" }).click();
    await shopper.page.locator(".rating", { hasText: "感谢您的评价（4 分）" }).waitFor(WAIT);
    await shot(shopper.page, "2-8-rated");

    await agent.page.selectOption("#agent-status", "offline");
    await agent.page.getByText("状态已改为「离线」").waitFor(WAIT);
    expect([...shopper.errors, ...agent.errors]).toEqual([]);
  });

  it("an agent transfers a conversation to another group with a note", async () => {
    await createAgent(server.url, { username: "xiaoli", name: "小李", password: "change-me-please", groups: ["pre_sale"] });
    const agent = await newPage({ width: 1400, height: 900 });
    await agent.page.goto(`${server.url}/agent`);
    await agent.page.getByLabel("用户名").fill("xiaoli");
    await agent.page.getByLabel("密码").fill("change-me-please");
    await agent.page.getByRole("button", { name: "登录" }).click();
    await agent.page.locator('.conn[data-state="open"]').waitFor(WAIT);
    await agent.page.selectOption("#agent-status", "online");
    await agent.page.getByText("状态已改为「在线」").waitFor(WAIT);

    const shopper = await newPage();
    await openShopAs(shopper.page, "c-1004");
    await openWidget(shopper.page);
    await say(shopper.page, "转人工");
    await shopper.page.locator(".handoff").waitFor(WAIT);
    await agent.page.getByRole("button", { name: /接入 刘洋/ }).click();
    await shopper.page.locator(".head .state", { hasText: "人工客服 小李" }).waitFor(WAIT);
    // The shopper may see the agent's name before the workbench has redrawn the accepted view.
    await agent.page.locator(".suggestions").waitFor(WAIT);
    expect(await agent.page.locator(".suggestions").count()).toBe(1);

    await agent.page.selectOption("#transfer-group", "after_sale");
    await agent.page.getByLabel("转接备注").fill("顾客要办退货，请售后跟进");
    await agent.page.getByRole("button", { name: "转接", exact: true }).click();
    await agent.page.getByText(/已转接/).waitFor(WAIT);
    await shopper.page.locator(".msg.system", { hasText: "正在为您转接更合适的客服" }).waitFor(WAIT);
    expect(await status(shopper.page).textContent()).toMatch(/^排队中/);
    await shot(shopper.page, "6-1-transferred");
    await shot(agent.page, "6-2-workbench-after-transfer");
    expect([...shopper.errors, ...agent.errors]).toEqual([]);
  });

  it("suggests questions while the shopper types, and asks whether a knowledge answer helped", async () => {
    const { page, errors } = await newPage();
    await page.goto(`${server.url}/`);
    await openWidget(page);
    await page.locator(".hot .chip").first().waitFor(WAIT);
    const input = page.getByRole("textbox", { name: "输入您的问题" });
    await input.fill("退货");
    const suggestions = page.getByRole("list", { name: "输入联想" }).getByRole("button");
    await suggestions.first().waitFor(WAIT);
    expect(await suggestions.count()).toBeLessThanOrEqual(5);
    expect(await page.locator(".hot").isHidden()).toBe(true);
    await shot(page, "5-1-suggestions");
    // Keyboard: down into the list, Enter sends the suggestion.
    await input.press("ArrowDown");
    const first = (await suggestions.first().textContent())!;
    await page.keyboard.press("Enter");
    await page.locator(".msg.user", { hasText: first }).waitFor(WAIT);
    await page.locator(".msg.bot").nth(1).waitFor(WAIT);

    // 猜你想问: a click asks it (its payload), shown as the question.
    const hot = page.locator(".hot .chip").first();
    const question = (await hot.textContent())!;
    await hot.click();
    await page.locator(".msg.user", { hasText: question }).waitFor(WAIT);
    await page.locator(".msg.bot").nth(2).waitFor(WAIT);

    await say(page, "你们用什么快递");
    const feedback = page.getByRole("group", { name: "这个回答有帮助吗" }).last();
    await feedback.waitFor(WAIT);
    await feedback.getByRole("button", { name: "有帮助", exact: true }).click();
    await page.locator(".feedback", { hasText: "感谢您的反馈" }).waitFor(WAIT);
    await shot(page, "5-2-feedback");
    expect(errors).toEqual([]);
  });

  it("shows the shopper's markup as text, fits 360 px and closes with Esc", async () => {
    const { page, errors } = await newPage({ width: 360, height: 740 });
    await page.goto(`${server.url}/`);
    await openWidget(page);
    const box = await page.locator(".panel").boundingBox();
    expect(box!.width).toBeLessThanOrEqual(360);
    const attack = `<img src=x onerror="window.__xss=1">`;
    await say(page, attack);
    await page.locator(".msg.bot").nth(1).waitFor(WAIT);
    expect(await page.locator(".msg.user .r-text").last().textContent()).toBe(attack);
    expect(await page.locator(".log img[src='x']").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await shot(page, "3-1-markup-as-text-360px");

    await page.keyboard.press("Escape");
    await page.locator(".panel").waitFor({ state: "hidden" });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("kefu-widget");
    expect(errors).toEqual([]);
  });

  it("marks a message sent while offline and sends it by itself when the connection is back", async () => {
    const { context, page, errors } = await newPage();
    await page.goto(`${server.url}/`);
    await openWidget(page);
    await context.setOffline(true);
    await say(page, "发什么快递");
    const delivery = page.locator(".msg.user .delivery").last();
    await page.locator(".msg.user .delivery.bad").waitFor(WAIT);
    expect(await delivery.textContent()).toContain("自动重发");
    expect(await status(page).textContent()).toBe("连接中断，正在重连…");
    await shot(page, "4-1-offline");

    await context.setOffline(false);
    await page.locator(".msg.bot").nth(1).waitFor(WAIT);
    expect(await delivery.textContent()).toBe("");
    await page.locator(".head .state", { hasText: "在线" }).waitFor(WAIT);
    await shot(page, "4-2-back-online");

    // No answer twice (here the request is cut while the stream stays up): then the shopper retries.
    let cut = 0;
    await page.route("**/messages", (route) => (cut++ < 2 ? route.abort("connectionfailed") : route.continue()));
    await say(page, "你们用什么快递");
    const retry = page.getByRole("button", { name: "重试" });
    await retry.waitFor(WAIT);
    expect(cut).toBe(2);
    await shot(page, "4-3-retry-offered");
    await retry.click();
    await page.locator(".msg.bot").nth(2).waitFor(WAIT);
    expect(await page.locator(".msg.user .delivery.bad").count()).toBe(0);
    expect(await status(page).textContent()).toBe("在线");
    expect(errors).toEqual([]);
  });
});
