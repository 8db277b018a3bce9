/**
 * The head view and the loss curve in headless Chromium: the built pane with
 * the real office.js and the fake workbook (tests/support/pane-browser.ts).
 * The fake calculates nothing, so the test plays Excel: it gives the
 * attention cells numbers of its own and fires the calculated event
 * (`fake.calculate`), and the SVG must follow those cells — a line per
 * query–key pair the block lets attend, no line to a <pad> key nor (gpt's
 * causal block) to a key after its query, each line's opacity the cell's weight. A Tokens cell edited to <pad> removes that key's
 * lines once the workbook calculates; selecting cells in a head's weights
 * shows that head; a short run draws a point per step. No console error, no
 * CSP violation, no failed request.
 */
import type { Page } from "playwright-core";
import { paneRig, serveOffice, watch, type PaneRig, type Seen } from "./support/pane-browser";

let rig: PaneRig;

beforeAll(async () => {
  rig = await paneRig();
}, 180000);

afterAll(async () => {
  await rig?.close();
});

const clean: Seen = { errors: [], dialogs: [], violations: [], failed: [] };

type Fake = import("./support/fake-excel").FakeExcel;

/** The sheet, corner and size of a named block in the page's fake. */
function block(page: Page, name: string): Promise<{ sheet: string; top: number; left: number; rows: number; cols: number }> {
  return page.evaluate((n) => {
    const fake = (window as unknown as { __fake: Fake }).__fake;
    const m = /^(?:'((?:[^']|'')+)'|([^'!]+))!\$([A-Z]+)\$(\d+)(?::\$([A-Z]+)\$(\d+))?$/.exec(fake.nameRef(n) ?? "");
    if (!m) throw new Error(`no range named ${n}`);
    const col = (s: string) => [...s].reduce((v, ch) => v * 26 + ch.charCodeAt(0) - 64, 0) - 1;
    const top = Number(m[4]) - 1;
    const left = col(m[3]);
    return {
      sheet: (m[1] ?? m[2]).replace(/''/g, "'"),
      top,
      left,
      rows: m[6] ? Number(m[6]) - top : 1,
      cols: m[5] ? col(m[5]) - left + 1 : 1,
    };
  }, name);
}

const letters = (k: number): string =>
  k < 26 ? String.fromCharCode(65 + k) : letters(Math.floor(k / 26) - 1) + String.fromCharCode(65 + (k % 26));

/** Excel has calculated the named block to `grid`: the fake shows it and fires onCalculated; resolves when the pane's handler is done. */
async function calculate(page: Page, name: string, grid: (number | string)[][]): Promise<void> {
  const b = await block(page, name);
  const address = `${letters(b.left)}${b.top + 1}:${letters(b.left + b.cols - 1)}${b.top + b.rows}`;
  await page.evaluate(
    ([sheet, a, g]) => (window as unknown as { __fake: Fake }).__fake.calculate(sheet as string, a as string, g as never),
    [b.sheet, address, grid] as const,
  );
}

/** The values of a named block in the page's fake. */
async function cells(page: Page, name: string): Promise<unknown[][]> {
  const b = await block(page, name);
  return page.evaluate(
    ([sheet, top, left, rows, cols]) => {
      const s = (window as unknown as { __fake: Fake }).__fake.sheet(sheet as string)!;
      return Array.from({ length: rows as number }, (_, i) =>
        Array.from({ length: cols as number }, (_, j) => s.cells.get(`${(top as number) + i},${(left as number) + j}`)?.value ?? ""),
      );
    },
    [b.sheet, b.top, b.left, b.rows, b.cols] as const,
  );
}

/** Each line the SVG draws: its query, key, head and opacity. */
function lines(page: Page): Promise<{ query: number; key: number; head: number; opacity: number; cls: string }[]> {
  return page.$$eval("#attn-lines line", (els) =>
    els.map((l) => ({
      query: Number(l.getAttribute("data-query")),
      key: Number(l.getAttribute("data-key")),
      head: Number(l.getAttribute("data-head")),
      opacity: Number(l.getAttribute("stroke-opacity")),
      cls: l.getAttribute("class") ?? "",
    })),
  );
}

/** Weights of our own, in [0, 1] and different for each head and each cell. */
const weights = (rows: number, cols: number, head: number, shift = 0): number[][] =>
  Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => ((i * 7 + j * 3 + head * 5 + shift) % 11) / 10));

test("the head view draws the fake's attention cells, follows calculation and selection, and the loss curve follows a run", async () => {
  const page = await rig.browser.newPage({ viewport: { width: 360, height: 1400 } });
  const seen = await watch(page);
  await serveOffice(page);
  await page.addInitScript({ content: rig.fakeBundle });
  await page.goto(`${rig.server.url}taskpane.html`);
  await page.waitForFunction(() => document.getElementById("status-text")?.textContent?.startsWith("Ready."));
  expect(await page.locator("#attn-note").textContent()).toBe("Build a model first: its attention appears here.");
  expect(await page.locator("#loss-summary").textContent()).toMatch(/^No training run yet/);

  await page.click("#build-button");
  await page.waitForFunction(() => document.getElementById("status-text")?.textContent?.startsWith("Built"), undefined, { timeout: 60000 });
  // Formula cells the fake has not calculated hold no number: no lines, and the pane says why.
  await page.waitForFunction(() => /no number yet/.test(document.getElementById("attn-note")?.textContent ?? ""));
  expect(await lines(page)).toEqual([]);
  expect(await page.$$eval("#attn-block option", (os) => os.map((o) => o.textContent))).toEqual(["Enc (self)"]);
  expect(await page.$$eval("#attn-head option", (os) => os.map((o) => o.textContent))).toEqual(["Head 1", "Head 2", "All heads"]);

  // Excel calculates: the keys' visibility from the typed tokens, and each head's weights.
  const tokens = (await cells(page, "Tokens"))[0] as string[];
  const n = tokens.length;
  await calculate(page, "Key_Visible", [tokens.map((t) => (t === "" || t === "<pad>" ? 0 : 1))]);
  const h1 = weights(n, n, 1);
  const h2 = weights(n, n, 2);
  await calculate(page, "Enc_H1_Attn", h1);
  await calculate(page, "Enc_H2_Attn", h2);
  const visible = ((await cells(page, "Key_Visible"))[0] as number[]).map((v) => v === 1);
  const visibleKeys = visible.filter(Boolean).length;
  expect(visibleKeys).toBeGreaterThan(1);

  let drawn = await lines(page);
  expect(drawn).toHaveLength(n * visibleKeys);
  for (const l of drawn) {
    expect(visible[l.key]).toBe(true);
    expect([l.head, l.opacity]).toEqual([1, h1[l.query][l.key]]);
  }
  expect(await page.$$eval("#attn-queries button", (bs) => bs.map((b) => b.textContent))).toEqual(
    tokens.map((t, k) => t || `(empty ${k + 1})`),
  );
  expect(await page.locator("#attn-note").isHidden()).toBe(true);
  // Each line meets its tokens: its ends are at the middle of the query's and the key's buttons, as the page lays them out.
  const ends = await page.evaluate(() => {
    const svg = document.getElementById("attn-svg")!.getBoundingClientRect();
    const middle = (el: Element) => (el.getBoundingClientRect().top + el.getBoundingClientRect().bottom) / 2 - svg.top;
    const queries = Array.from(document.querySelectorAll("#attn-queries button")).map(middle);
    const keys = Array.from(document.querySelectorAll("#attn-keys button")).map(middle);
    const scale = svg.height / (document.getElementById("attn-svg") as unknown as SVGSVGElement).viewBox.baseVal.height;
    return Array.from(document.querySelectorAll("#attn-lines line")).map((l) => ({
      query: queries[Number(l.getAttribute("data-query"))] - Number(l.getAttribute("y1")) * scale,
      key: keys[Number(l.getAttribute("data-key"))] - Number(l.getAttribute("y2")) * scale,
    }));
  });
  expect(Math.max(...ends.flatMap((e) => [Math.abs(e.query), Math.abs(e.key)]))).toBeLessThan(1.5);

  // Text alternatives: the SVG is an image with a title, a description and a label; the list names the largest weights, largest first.
  const svg = page.locator("#attn-svg");
  expect(await svg.getAttribute("role")).toBe("img");
  expect(await page.locator("#attn-svg-title").textContent()).toBe("Attention of Enc, head 1");
  expect(await svg.getAttribute("aria-label")).toMatch(/^Attention of Enc, head 1\. Lines from each of \d+ query tokens/);
  const top = await page.$$eval("#attn-top li", (lis) => lis.map((li) => li.textContent ?? ""));
  expect(top).toHaveLength(8);
  const best = Math.max(...drawn.map((l) => l.opacity));
  // A word the sentence repeats carries its position ("h (4)"): tests/head-view-text.test.ts.
  expect(top[0]).toMatch(new RegExp(`^\\S+( \\(\\d+\\))? → \\S+( \\(\\d+\\))? ${best.toFixed(2)}$`));
  const listed = top.map((t) => Number(t.split(" ").pop()));
  expect([...listed].sort((a, b) => b - a)).toEqual(listed);

  // Hover, then keyboard focus, on a query token lights its lines only.
  await page.hover("#attn-queries li:nth-child(2) button");
  expect(await page.locator("#attn-svg").getAttribute("class")).toMatch(/attn-focused/);
  const lit = await page.$$eval("#attn-lines line.attn-lit", (ls) => ls.map((l) => Number(l.getAttribute("data-query"))));
  expect(lit).toEqual(Array(visibleKeys).fill(1));
  await page.mouse.move(0, 0);
  await page.focus("#attn-head");
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(tokens[0] || "(empty 1)");
  expect(await page.$$eval("#attn-lines line.attn-lit", (ls) => ls.map((l) => Number(l.getAttribute("data-query"))))).toEqual(
    Array(visibleKeys).fill(0),
  );
  expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toMatch(/, query 1: attends most to \S+ \d\.\d\d$/);

  // The user types <pad> over the second token; Excel recalculates: that key's visibility and the weights. Its lines go, the others follow.
  await page.evaluate(
    ([sheet, address]) => (window as unknown as { __fake: Fake }).__fake.setCell(sheet, address, "<pad>"),
    await block(page, "Tokens").then((b) => [b.sheet, `${letters(b.left + 1)}${b.top + 1}`] as const),
  );
  const visibleAfter = visible.map((v, j) => v && j !== 1);
  await calculate(page, "Key_Visible", [visibleAfter.map((v) => (v ? 1 : 0))]);
  const h1After = weights(n, n, 1, 4);
  await calculate(page, "Enc_H1_Attn", h1After);
  drawn = await lines(page);
  expect(drawn).toHaveLength(n * (visibleKeys - 1));
  expect(drawn.some((l) => l.key === 1)).toBe(false);
  for (const l of drawn) expect(l.opacity).toBe(h1After[l.query][l.key]);
  expect(await page.locator("#attn-queries li:nth-child(2) button").textContent()).toBe("<pad>");

  // The user selects a cell of Enc_H2_Attn: head 2 is shown.
  const b2 = await block(page, "Enc_H2_Attn");
  await page.evaluate(([sheet, address]) => (window as unknown as { __fake: Fake }).__fake.userSelects(sheet, address), [
    b2.sheet,
    `${letters(b2.left + 2)}${b2.top + 3}`,
  ] as const);
  expect(await page.locator("#attn-head").inputValue()).toBe("2");
  drawn = await lines(page);
  expect(drawn.every((l) => l.head === 2 && l.opacity === h2[l.query][l.key] && /attn-head-2/.test(l.cls))).toBe(true);
  expect(drawn).toHaveLength(n * (visibleKeys - 1));

  // All heads: both heads' lines, each in its colour.
  await page.selectOption("#attn-head", "all");
  drawn = await lines(page);
  expect(drawn).toHaveLength(2 * n * (visibleKeys - 1));
  // (The keyboard is still on the first query token, so its lines are lit as well.)
  expect(new Set(drawn.map((l) => /attn-head-\d/.exec(l.cls)?.[0]))).toEqual(new Set(["attn-head-1", "attn-head-2"]));
  for (const l of drawn) expect(l.cls).toMatch(new RegExp(`^attn-line attn-head-${l.head}( attn-lit)?$`));
  expect(await page.locator("#attn-top li").first().textContent()).toMatch(/ \(head [12]\)$/);

  // A short run: a point on the loss curve for every step the controller reports.
  await page.evaluate(() => {
    const w = window as unknown as { steps: string[] };
    w.steps = [];
    new MutationObserver(() => w.steps.push(document.getElementById("step")!.textContent ?? "")).observe(document.getElementById("step")!, {
      childList: true,
      characterData: true,
      subtree: true,
    });
  });
  await page.fill("#steps", "6");
  await page.click("#train-n");
  await page.waitForFunction(
    () => /^(Trained|Training stopped)/.test(document.getElementById("status-text")?.textContent ?? ""),
    undefined,
    {
      timeout: 60000,
    },
  );
  expect(await page.locator("#status-text").textContent()).toMatch(/^Trained 6 steps/);
  const reported = new Set((await page.evaluate(() => (window as unknown as { steps: string[] }).steps)).filter((t) => /^\d+$/.test(t)));
  expect(reported.size).toBe(6);
  const points = (await page.locator("#loss-line").getAttribute("points"))!.trim().split(/\s+/);
  expect(points).toHaveLength(6);
  for (const p of points) expect(p).toMatch(/^\d+(\.\d+)?,\d+(\.\d+)?$/);
  expect(await page.locator("#loss-summary").textContent()).toMatch(
    /^Loss over 6 steps: [\d.]+ at step 1, [\d.]+ at step 6; lowest [\d.]+ at step \d\.$/,
  );
  // The curve ends where the pane's Loss figure does.
  expect(await page.locator("#loss-summary").textContent()).toContain(`, ${await page.locator("#loss").textContent()} at step 6;`);
  expect(await page.locator("#loss-svg").getAttribute("role")).toBe("img");
  expect(await page.locator("#loss-svg").getAttribute("aria-label")).toMatch(/^Loss curve\. Loss over 6 steps/);

  await page.screenshot({ path: "/tmp/attention-lab-head-view.png", fullPage: true });

  // A causal block (gpt): query i gets lines to the visible keys 0..i only.
  await page.selectOption("#preset", "gpt");
  await page.click("#build-button");
  await page.waitForFunction(() => document.getElementById("status-text")?.textContent?.startsWith("Built"), undefined, { timeout: 60000 });
  await page.waitForFunction(() => document.querySelector("#attn-block option")?.textContent === "Dec (masked)");
  const m = ((await cells(page, "Tokens"))[0] as unknown[]).length;
  const causalVisible = Array.from({ length: m }, (_, j) => j !== 2 && j < m - 1);
  await calculate(page, "Key_Visible", [causalVisible.map((v) => (v ? 1 : 0))]);
  const causal = weights(m, m, 1);
  await calculate(page, "Dec_H1_Attn", causal);
  drawn = await lines(page);
  const pairs = Array.from({ length: m }, (_, i) => causalVisible.filter((v, j) => v && j <= i).length).reduce((a, b) => a + b, 0);
  expect(drawn).toHaveLength(pairs);
  for (const l of drawn) {
    expect(l.key <= l.query && causalVisible[l.key]).toBe(true);
    expect(l.opacity).toBe(causal[l.query][l.key]);
  }

  expect(seen).toEqual(clean);
  await page.close();
}, 180000);
