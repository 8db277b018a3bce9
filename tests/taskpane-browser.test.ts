/**
 * The task pane in headless Chromium, built as `npm run build` builds it and
 * served over HTTP. office.js is not fetched: its CDN request is answered
 * with an empty script, which is what a page outside Office amounts to
 * (and keeps the test offline). Outside Excel the pane says how to open it,
 * with no console errors; with the fake workbook injected as `Excel`, Build
 * and Train N steps run end to end, and words from cells stay text.
 */
import { promises as fs } from "fs";
import type { Browser, Page } from "playwright-core";
import { buildPane, CUSTOM_FUNCTIONS_STUB, launch, OFFICE_JS, serve, watch } from "./support/pane-browser";

const SHOTS = "/tmp";
const XSS = "<img src=x onerror=alert(1)>";

let dir: string;
let server: Awaited<ReturnType<typeof serve>>;
let browser: Browser;
let fakeBundle: string;

beforeAll(async () => {
  dir = await buildPane();
  fakeBundle = await fs.readFile(`${dir}/fake-excel-page.js`, "utf8");
  server = await serve(dir);
  browser = await launch();
}, 180000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

/** A new page at the pane; `inExcel` injects the fake workbook and an Office that says it is Excel. */
async function openPane(inExcel: boolean): Promise<{ page: Page; seen: ReturnType<typeof watch> }> {
  const page = await browser.newPage({ viewport: { width: 360, height: 900 } });
  const seen = watch(page);
  await page.route(OFFICE_JS, (route) => route.fulfill({ status: 200, contentType: "text/javascript", body: "// office.js is not loaded in this test\n" }));
  if (inExcel) {
    await page.addInitScript({ content: CUSTOM_FUNCTIONS_STUB });
    await page.addInitScript({ content: fakeBundle });
  }
  await page.goto(`${server.url}taskpane.html`);
  return { page, seen };
}

const statusText = (page: Page) => page.locator("#status-text").textContent();

/** Values of a named block in the page's fake workbook. */
function namedValues(page: Page, name: string): Promise<unknown[][]> {
  return page.evaluate((n) => {
    const fake = (window as unknown as { __fake: import("./support/fake-excel").FakeExcel }).__fake;
    const m = /^(?:'((?:[^']|'')+)'|([^'!]+))!\$([A-Z]+)\$(\d+)(?::\$([A-Z]+)\$(\d+))?$/.exec(fake.nameRef(n) ?? "");
    if (!m) throw new Error(`no range named ${n}`);
    const sheet = fake.sheet((m[1] ?? m[2]).replace(/''/g, "'"))!;
    const col = (s: string) => [...s].reduce((v, ch) => v * 26 + ch.charCodeAt(0) - 64, 0) - 1;
    const top = Number(m[4]) - 1;
    const left = col(m[3]);
    const rows = m[6] ? Number(m[6]) - top : 1;
    const cols = m[5] ? col(m[5]) - left + 1 : 1;
    return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => sheet.cells.get(`${top + i},${left + j}`)?.value ?? ""));
  }, name);
}

/** Puts `value` into cell (i, j) of a named block of the page's fake workbook; returns the cell's A1 address. */
function setNamedCell(page: Page, name: string, i: number, j: number, value: string): Promise<string> {
  return page.evaluate(
    ([n, r, c, v]) => {
      const fake = (window as unknown as { __fake: import("./support/fake-excel").FakeExcel }).__fake;
      const m = /^(?:'((?:[^']|'')+)'|([^'!]+))!\$([A-Z]+)\$(\d+)/.exec(fake.nameRef(n as string) ?? "")!;
      const col = [...m[3]].reduce((x, ch) => x * 26 + ch.charCodeAt(0) - 64, 0) - 1 + (c as number);
      const letters = (k: number): string => (k < 26 ? String.fromCharCode(65 + k) : letters(Math.floor(k / 26) - 1) + String.fromCharCode(65 + (k % 26)));
      const address = `${letters(col)}${Number(m[4]) + (r as number)}`;
      fake.setCell(m[1] ?? m[2], address, v as string);
      return address;
    },
    [name, i, j, value] as const,
  );
}

test("outside Office the pane loads, says how to open it from Excel, and keeps every action off", async () => {
  const { page, seen } = await openPane(false);
  await page.waitForFunction(() => document.getElementById("status-text")?.textContent?.startsWith("Open this page from Excel"));
  expect(await statusText(page)).toMatch(/office\.js did not load/);
  expect(await page.locator("#status-details").innerText()).toMatch(/Home > Open Attention Lab/);
  for (const id of ["build-button", "train-step", "train-n", "cancel", "undo", "reset", "tour-next", "tour-back"]) {
    expect(await page.locator(`#${id}`).isDisabled()).toBe(true);
  }
  await page.screenshot({ path: `${SHOTS}/attention-lab-pane-outside.png`, fullPage: true });
  expect(seen.errors).toEqual([]);
  await page.close();
});

test("in (fake) Excel: Build, then Train N steps with progress, a moving loss, new weights and a 20-row log", async () => {
  const { page, seen } = await openPane(true);
  await page.waitForFunction(() => document.getElementById("status-text")?.textContent?.startsWith("Ready."));

  // Every field has a label, and the keyboard reaches Build: Tab from the first field, then Enter.
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLInputElement | HTMLSelectElement>("input, select")].filter((el) => el.labels?.length === 0).map((el) => el.id || el.name),
  );
  expect(unlabelled).toEqual([]);
  await page.focus("#preset");
  for (let i = 0; i < 20 && (await page.evaluate(() => document.activeElement?.id)) !== "build-button"; i++) await page.keyboard.press("Tab");
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("build-button");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.getElementById("status-text")?.textContent?.startsWith("Built"), undefined, { timeout: 60000 });
  expect(await statusText(page)).toMatch(/^Built 6 sheets for the encoder preset/);

  const before = await namedValues(page, "Enc_H1_Wq");
  await page.fill("#steps", "20");
  expect(await page.locator("#train-n").textContent()).toBe("Train 20 steps");
  await page.evaluate(() => {
    const w = window as unknown as { losses: string[] };
    w.losses = [];
    new MutationObserver(() => w.losses.push(document.getElementById("loss")!.textContent ?? "")).observe(document.getElementById("loss")!, { childList: true, characterData: true, subtree: true });
  });
  await page.click("#train-n");
  await page.waitForFunction(() => /^(Trained|Training stopped)/.test(document.getElementById("status-text")?.textContent ?? ""), undefined, { timeout: 60000 });
  expect(await statusText(page)).toMatch(/^Trained 20 steps in [\d.]+ s\. Loss [\d.]+ → [\d.]+, accuracy [\d.]+%\.$/);

  expect(await page.locator("#progress").evaluate((p: HTMLProgressElement) => [p.value, p.max])).toEqual([20, 20]);
  expect(await page.locator("#progress-label").textContent()).toBe("20 / 20 steps");
  const losses = (await page.evaluate(() => (window as unknown as { losses: string[] }).losses)).filter((t) => t !== "–");
  expect(losses[0]).toMatch(/^\d+\.\d{4}$/);
  expect(new Set(losses).size).toBeGreaterThan(1);
  expect(await page.locator("#loss").textContent()).not.toBe(losses[0]);
  expect(await page.locator("#accuracy").textContent()).toMatch(/^\d+\.\d%$/);
  expect(await page.locator("#step").textContent()).toBe("20");

  expect(await namedValues(page, "Enc_H1_Wq")).not.toEqual(before);
  const log = await namedValues(page, "Train_Log");
  expect(log).toHaveLength(20);
  expect(log.map((r) => r[0])).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  expect((await namedValues(page, "Grad_Enc_H1_Wq")).flat().every((v) => typeof v === "number")).toBe(true);
  expect(await page.locator("#undo").isEnabled()).toBe(true);
  expect(await page.locator("#undo-hint").textContent()).toMatch(/before the last run of 20 steps/);

  await page.click("#tour-next");
  await page.waitForFunction(() => document.getElementById("tour-step-title")?.textContent === "Embedding");
  expect(await page.evaluate(() => (window as unknown as { __fake: import("./support/fake-excel").FakeExcel }).__fake.selection?.sheet.name)).toBe("Input");

  await page.screenshot({ path: `${SHOTS}/attention-lab-pane-excel.png`, fullPage: true });

  // Reset asks first (Escape keeps the weights), then is undone by "Undo training".
  const trained = await namedValues(page, "Out_W");
  await page.click("#reset");
  expect(await page.locator("#reset-confirm").isVisible()).toBe(true);
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("reset-no");
  await page.screenshot({ path: `${SHOTS}/attention-lab-pane-reset.png`, fullPage: true });
  await page.keyboard.press("Escape");
  expect(await page.locator("#reset-confirm").isHidden()).toBe(true);
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("reset");
  await page.click("#reset");
  await page.click("#reset-yes");
  await page.waitForFunction(() => document.getElementById("status-text")?.textContent?.startsWith("Reset every weight from seed 1"));
  expect(await namedValues(page, "Out_W")).not.toEqual(trained);
  await page.click("#undo");
  await page.waitForFunction(() => document.getElementById("status-text")?.textContent?.startsWith("Restored the weights you had before the reset"));
  expect(await namedValues(page, "Out_W")).toEqual(trained);

  expect(seen.errors).toEqual([]);
  await page.close();
});

test("words from cells show as text: an unknown token's message and a vocabulary word that looks like HTML", async () => {
  const { page, seen } = await openPane(true);
  await page.waitForFunction(() => document.getElementById("status-text")?.textContent?.startsWith("Ready."));
  await page.click("#build-button");
  await page.waitForFunction(() => document.getElementById("status-text")?.textContent?.startsWith("Built"), undefined, { timeout: 60000 });

  const cell = await setNamedCell(page, "Data_Source", 6, 1, XSS);
  await page.click("#train-step");
  await page.waitForFunction(() => document.getElementById("status-text")?.textContent === "Training stopped:");
  const details = await page.locator("#status-details li").allTextContents();
  expect(details[0]).toBe(`Data!${cell} holds "${XSS}", which is not in the vocabulary.`);
  await page.screenshot({ path: `${SHOTS}/attention-lab-pane-error.png` });

  // The same word in the Vocab block (which training reads, as the formulas do) and the Data sheet, in place of "h": the pane lists it, as text, and trains.
  await page.evaluate((xss) => {
    const fake = (window as unknown as { __fake: import("./support/fake-excel").FakeExcel }).__fake;
    for (const c of fake.sheet("Data")!.cells.values()) if (c.value === "h") c.value = xss;
    const vocab = fake.nameModels.get("vocab")!;
    for (let i = 0; i < vocab.rect.rows; i++) {
      const c = vocab.sheet!.cells.get(`${vocab.rect.top + i},${vocab.rect.left}`);
      if (c?.value === "h") c.value = xss;
    }
  }, XSS);
  await page.click("#train-step");
  await page.waitForFunction(() => document.getElementById("status-text")?.textContent?.startsWith("Trained 1 step"));
  expect(await page.locator("#vocab li").allTextContents()).toContain(XSS);

  expect(await page.locator("main img, #status img, #vocab img").count()).toBe(0);
  expect(seen.dialogs).toEqual([]);
  expect(server.requests).not.toContain("/x");
  expect(seen.errors).toEqual([]);
  await page.close();
});
