/**
 * The head view and the loss curve in headless Chromium: the built pane with
 * the real office.js and the fake workbook (tests/support/pane-browser.ts).
 * The fake calculates nothing, so the test plays Excel: it gives the
 * attention cells numbers of its own and fires the calculated event
 * (`fake.calculate`), and the SVG must follow those cells — a line per
 * query–key pair the block lets attend, no line to a <pad> key nor (gpt's
 * causal block) to a key after its query, each line's opacity the cell's weight. A Tokens cell edited to <pad> removes that key's
 * lines once the workbook calculates; selecting cells in a head's weights
 * shows that head; a short run draws a point per step. Then the loss curve
 * after a short run: Tab reaches it, it shows a focus ring, and what Chromium
 * hands a screen reader (its accessibility tree) names the losses the
 * workbook logged. Then a two-layer encoder–decoder whose cells HyperFormula
 * calculates (tests/support/fake-engine.ts): the cross-attention block's
 * lines go from the decoder's tokens to the source's, a key token lights its
 * lines when hovered and when focused, and layer 2's blocks draw their own
 * cells. No console error, no CSP violation, no failed request.
 */
import type { Page } from "playwright-core";
import { calculatedNames } from "./support/fake-engine";
import { CLEAN, fillBuild, usePaneRig } from "./support/pane-browser";

const rig = usePaneRig();
const clean = CLEAN;

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

/** The values of a rectangle (0-based) of a sheet in the page's fake; an empty cell reads "". */
function cellsAt(page: Page, sheet: string, top: number, left: number, rows: number, cols: number): Promise<unknown[][]> {
  return page.evaluate(
    ([sheet, top, left, rows, cols]) => {
      const s = (window as unknown as { __fake: Fake }).__fake.sheet(sheet as string)!;
      return Array.from({ length: rows as number }, (_, i) =>
        Array.from({ length: cols as number }, (_, j) => s.cells.get(`${(top as number) + i},${(left as number) + j}`)?.value ?? ""),
      );
    },
    [sheet, top, left, rows, cols] as const,
  );
}

/** The values of a named block in the page's fake. */
async function cells(page: Page, name: string): Promise<unknown[][]> {
  const b = await block(page, name);
  return cellsAt(page, b.sheet, b.top, b.left, b.rows, b.cols);
}

/**
 * Excel calculates the whole workbook: HyperFormula evaluates the page's fake (its cells handed over as JSON), and
 * every named block gets its values, each calculation firing the pane's handlers as Excel's would.
 */
async function calculateWorkbook(page: Page): Promise<void> {
  const book = await page.evaluate(() => (window as unknown as { __fake: Fake }).__fake.workbookCells());
  await page.evaluate(async (calculated) => {
    const fake = (window as unknown as { __fake: Fake }).__fake;
    for (const c of calculated) await fake.calculate(c.sheet, c.address, c.values);
  }, calculatedNames(book));
}

/** What Chromium gives assistive technology for an element: its role, accessible name and description. */
async function accessible(page: Page, selector: string): Promise<{ role?: string; name?: string; description?: string }> {
  const cdp = await page.context().newCDPSession(page);
  const { root } = await cdp.send("DOM.getDocument");
  const { nodeId } = await cdp.send("DOM.querySelector", { nodeId: root.nodeId, selector });
  const { nodes } = await cdp.send("Accessibility.getPartialAXTree", { nodeId, fetchRelatives: false });
  await cdp.detach();
  const n = nodes[0];
  return { role: n.role?.value as string, name: n.name?.value as string, description: n.description?.value as string };
}

/** A new page with the pane over the page's own fake Excel, ready. */
const openPane = () => rig.open(360, 1400);

const statusStarts = (page: Page, start: RegExp) =>
  page.waitForFunction((re) => new RegExp(re).test(document.getElementById("status-text")?.textContent ?? ""), start.source, {
    timeout: 60000,
  });
const built = (page: Page) => statusStarts(page, /^Built/);
const trained = (page: Page) => statusStarts(page, /^(Trained|Training stopped)/);

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
  const { page, seen } = await openPane();
  expect(await page.locator("#attn-note").textContent()).toBe("Build a model first: its attention appears here.");
  expect(await page.locator("#loss-summary").textContent()).toMatch(/^No training run yet/);

  await page.click("#build-button");
  await built(page);
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

  // Text alternatives: a screen reader gets an image named by its title and described once by its description (the largest
  // weight in words); the list names the largest weights, largest first.
  expect(await page.locator("#attn-svg-title").textContent()).toBe("Attention of Enc, head 1");
  const image = await accessible(page, "#attn-svg");
  expect([image.role, image.name]).toEqual(["image", "Attention of Enc, head 1"]);
  expect(image.description).toMatch(/^Lines from each of \d+ query tokens/);
  expect(image.description).toBe(await page.locator("#attn-svg-desc").textContent());
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
  await trained(page);
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
  expect(await accessible(page, "#loss-svg")).toMatchObject({
    role: "image",
    name: "Loss curve",
    description: expect.stringMatching(/^Loss over 6 steps/),
  });

  await page.screenshot({ path: "/tmp/attention-lab-head-view.png", fullPage: true });

  // A causal block (gpt): query i gets lines to the visible keys 0..i only.
  await page.selectOption("#preset", "gpt");
  await page.click("#build-button");
  await built(page);
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

test("after a short run the loss curve is reached with Tab, shows its focus, and its text alternative names the run's losses", async () => {
  const { page, seen } = await openPane();
  await page.click("#build-button");
  await built(page);
  await page.fill("#steps", "3");
  await page.click("#train-n");
  await trained(page);
  expect(await page.locator("#status-text").textContent()).toMatch(/^Trained 3 steps/);

  // The run as the workbook logged it: the Step and Loss columns of Train_Log, found by their titles above it.
  const log = await block(page, "Train_Log");
  const [titles] = await cellsAt(page, log.sheet, log.top - 1, log.left, 1, log.cols);
  const rows = (await cells(page, "Train_Log")).filter((r) => typeof r[titles.indexOf("Step")] === "number");
  const run = rows.map((r) => ({ step: r[titles.indexOf("Step")] as number, loss: r[titles.indexOf("Loss")] as number }));
  expect(run.map((r) => r.step)).toEqual([1, 2, 3]);
  const low = run.reduce((a, b) => (b.loss < a.loss ? b : a));
  const words =
    `Loss over 3 steps: ${run[0].loss.toFixed(4)} at step 1, ${run[2].loss.toFixed(4)} at step 3; ` +
    `lowest ${low.loss.toFixed(4)} at step ${low.step}.`;

  // Tab from the top of the page reaches the curve (Shift+Tab is the browser's, the way back).
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  let presses = 0;
  while ((await page.evaluate(() => document.activeElement?.id)) !== "loss-svg" && presses < 200) {
    await page.keyboard.press("Tab");
    presses++;
  }
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("loss-svg");
  const ring = () =>
    page.$eval("#loss-svg", (el) => {
      const s = getComputedStyle(el);
      return { visible: el.matches(":focus-visible"), outline: `${s.outlineStyle} ${s.outlineWidth}` };
    });
  expect(await ring()).toEqual({ visible: true, outline: "solid 2px" });
  await page.keyboard.press("Tab");
  expect((await ring()).outline).toMatch(/^none /);

  // What a screen reader gets: an image named "Loss curve", described by the run's losses, each said once.
  expect(await accessible(page, "#loss-svg")).toEqual({ role: "image", name: "Loss curve", description: words });
  expect(await page.locator("#loss-summary").textContent()).toBe(words);

  expect(seen).toEqual(clean);
  await page.close();
}, 180000);

/** The blocks' token streams, from docs/architecture.md (Named ranges): a cross block's keys are the source's. */
function streamsOf(block: string): { queries: string; keys: string; visible: string; causal: boolean } {
  if (/_Cross$/.test(block)) return { queries: "Dec_Tokens", keys: "Tokens", visible: "Key_Visible", causal: false };
  if (/_Self$/.test(block)) return { queries: "Dec_Tokens", keys: "Dec_Tokens", visible: "Dec_Key_Visible", causal: true };
  return { queries: "Tokens", keys: "Tokens", visible: "Key_Visible", causal: false };
}

/** A line as the docs ask for it, or as the SVG draws it. */
interface Line {
  query: number;
  key: number;
  head: number;
  opacity: number;
}
const inOrder = (ls: Line[]): Line[] => [...ls].sort((a, b) => a.query - b.query || a.key - b.key || a.head - b.head);

/**
 * Waits for the view to show `head` of `block`, then checks it against the fake's cells: one line per query and
 * each key it may see (a visible key; for masked self-attention, one at or before the query), each line's opacity
 * the weight its cell holds, every other cell exactly 0, and the tokens of the block's streams as labels.
 */
async function expectDrawn(
  page: Page,
  blockName: string,
  head: number,
): Promise<{ queries: string[]; keys: string[]; weights: number[][] }> {
  await page.waitForFunction(
    (t) => document.getElementById("attn-svg-title")?.textContent === t,
    `Attention of ${blockName}, head ${head}`,
  );
  const s = streamsOf(blockName);
  const queries = (await cells(page, s.queries))[0] as string[];
  const keys = (await cells(page, s.keys))[0] as string[];
  const visible = ((await cells(page, s.visible))[0] as number[]).map((v) => v !== 0);
  const weights = (await cells(page, `${blockName}_H${head}_Attn`)) as number[][];
  expect(weights.flat().every((w) => typeof w === "number")).toBe(true);
  expect([weights.length, weights[0].length]).toEqual([queries.length, keys.length]);
  const want: Line[] = [];
  weights.forEach((row, i) =>
    row.forEach((w, j) => {
      if (visible[j] && (!s.causal || j <= i)) want.push({ query: i, key: j, head, opacity: w });
      else expect([blockName, i, j, w]).toEqual([blockName, i, j, 0]);
    }),
  );
  expect(visible.filter(Boolean).length).toBeGreaterThan(1);
  const drawn = (await lines(page)).map(({ query, key, head, opacity }) => ({ query, key, head, opacity }));
  expect(inOrder(drawn)).toEqual(inOrder(want));
  const shown = (words: string[]) => words.map((w, k) => w || `(empty ${k + 1})`);
  expect(await page.$$eval("#attn-queries button", (bs) => bs.map((b) => b.textContent))).toEqual(shown(queries));
  expect(await page.$$eval("#attn-keys button", (bs) => bs.map((b) => b.textContent))).toEqual(shown(keys));
  return { queries, keys, weights };
}

test("a two-layer encoder–decoder: cross-attention from the decoder's tokens to the source's, a key token lit by hover and by focus, and layer 2's own weights", async () => {
  const { page, seen } = await openPane();
  await fillBuild(page, "encoder-decoder", { layers: "2", dModel: "8", heads: "2", dK: "4", seed: "3" });
  await page.click("#build-button");
  await built(page);
  // Every encoder layer before any decoder layer; in a decoder layer, self-attention before cross-attention.
  expect(await page.$$eval("#attn-block option", (os) => os.map((o) => o.textContent))).toEqual([
    "Enc (self)",
    "Enc2 (self)",
    "Dec_Self (masked)",
    "Dec_Cross (cross)",
    "Dec2_Self (masked)",
    "Dec2_Cross (cross)",
  ]);
  await calculateWorkbook(page);
  await expectDrawn(page, "Enc", 1);

  // Cross-attention: the decoder's tokens ask, the source's tokens answer.
  await page.selectOption("#attn-block", "Dec_Cross");
  const cross = await expectDrawn(page, "Dec_Cross", 1);
  expect(cross.queries[0]).toBe("<s>");
  expect(cross.keys).toEqual((await cells(page, "Tokens"))[0]);

  // A key token, hovered: the lines into it are lit, every other line is faint.
  const visibleKeys = ((await cells(page, "Key_Visible"))[0] as number[]).map((v) => v !== 0);
  const k = visibleKeys.indexOf(true, 1);
  const litLines = () =>
    page.$$eval("#attn-lines line", (ls) =>
      ls.map((l) => ({
        key: Number(l.getAttribute("data-key")),
        lit: l.classList.contains("attn-lit"),
        opacity: getComputedStyle(l).opacity,
      })),
    );
  const litTokens = () =>
    page.$$eval(".attn-token-lit", (bs) => bs.map((b) => `${b.classList.contains("attn-key") ? "key" : "query"} ${b.textContent}`));
  const expectKeyLit = async (key: number) => {
    const ls = await litLines();
    expect(ls.filter((l) => l.lit).map((l) => l.key)).toEqual(Array(cross.queries.length).fill(key));
    expect(ls.every((l) => (l.lit ? l.opacity === "1" : l.key !== key && l.opacity === "0.08"))).toBe(true);
    expect(await page.locator("#attn-svg").getAttribute("class")).toMatch(/attn-focused/);
    expect(await litTokens()).toEqual([`key ${cross.keys[key] || `(empty ${key + 1})`}`]);
  };
  await page.hover(`#attn-keys li:nth-child(${k + 1}) button`);
  await expectKeyLit(k);
  await page.mouse.move(0, 0);
  expect((await litLines()).filter((l) => l.lit)).toEqual([]);
  expect(await page.locator("#attn-svg").getAttribute("class")).not.toMatch(/attn-focused/);

  // The same key reached with the keyboard: past the lines' image, the key tokens in order.
  await page.focus("#attn-svg");
  for (let j = 0; j <= k; j++) await page.keyboard.press("Tab");
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(cross.keys[k]);
  await expectKeyLit(k);
  const most = Math.max(...cross.weights.map((row) => row[k]));
  expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toMatch(
    new RegExp(`^${cross.keys[k].replace(/[^\w]/g, "\\$&")}, key ${k + 1}: is attended most by \\S+( \\(\\d+\\))? ${most.toFixed(2)}$`),
  );
  await page.locator("#attn-svg").focus();

  // Layer 2's blocks show their own cells, which differ from layer 1's: by the picker, and by selecting a weight in the sheet.
  const differ = async (a: string, b: string) => expect(await cells(page, a)).not.toEqual(await cells(page, b));
  await page.selectOption("#attn-block", "Enc2");
  await expectDrawn(page, "Enc2", 1);
  await differ("Enc2_H1_Attn", "Enc_H1_Attn");
  const b2 = await block(page, "Dec2_Self_H2_Attn");
  await page.evaluate(([sheet, address]) => (window as unknown as { __fake: Fake }).__fake.userSelects(sheet, address), [
    b2.sheet,
    `${letters(b2.left + 1)}${b2.top + 2}`,
  ] as const);
  expect(await page.locator("#attn-block").inputValue()).toBe("Dec2_Self");
  await expectDrawn(page, "Dec2_Self", 2);
  await differ("Dec2_Self_H2_Attn", "Dec_Self_H2_Attn");
  await page.selectOption("#attn-head", "1");
  await page.selectOption("#attn-block", "Dec2_Cross");
  await expectDrawn(page, "Dec2_Cross", 1);
  await differ("Dec2_Cross_H1_Attn", "Dec_Cross_H1_Attn");

  expect(seen).toEqual(clean);
  await page.close();
}, 180000);
