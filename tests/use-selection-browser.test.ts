/**
 * "Use selection" in the built pane (headless Chromium, the real office.js,
 * the fake workbook): the buttons reach the controller, the Sentence field
 * gives way to the user's cells and says where they are, Forget brings it
 * back, and a bad selection shows its message. No console error, no CSP
 * violation, no failed request.
 */
import type { Page } from "playwright-core";
import { CLEAN, usePaneRig } from "./support/pane-browser";

const rig = usePaneRig();

type Fake = import("./support/fake-excel").FakeExcel;
const clean = CLEAN;

const open = () => rig.open(350, 900);

const status = (page: Page): Promise<string> => page.evaluate(() => document.getElementById("status-text")!.textContent ?? "");

test("the sentence from the user's cells: picked, built into Tokens formulas, forgotten", async () => {
  const { page, seen } = await open();
  await page.evaluate(async () => {
    const fake = (window as unknown as { __fake: Fake }).__fake;
    fake.addSheet("My words", { B2: "f", C2: "a", D2: "e" });
    await fake.userSelects("My words", "B2:D2");
  });
  await page.click("#use-sentence");
  await page.waitForFunction(() => document.getElementById("status-text")?.textContent?.startsWith("Took 3 words"));
  expect(await page.locator("#sentence").isDisabled()).toBe(true);
  expect(await page.locator("#sentence-hint").textContent()).toMatch(/^From your cells 'My words'!B2:D2: the Tokens cells/);
  expect(await page.locator("#forget-sentence").isVisible()).toBe(true);

  await page.click("#build-button");
  await page.waitForFunction(() => document.getElementById("status-text")?.textContent?.startsWith("Built"), undefined, { timeout: 60000 });
  const tokens = await page.evaluate(() => {
    const fake = (window as unknown as { __fake: Fake }).__fake;
    // Tokens is a row: 'Overview'!$B$5:$H$5 or Overview!$B$5:$H$5.
    const m = /!\$([A-Z])\$(\d+):/.exec(fake.nameRef("Tokens") ?? "")!;
    const [top, left] = [Number(m[2]) - 1, m[1].charCodeAt(0) - 65];
    return [0, 1, 2, 3].map((j) => fake.sheet("Overview")!.cells.get(`${top},${left + j}`)?.formula ?? null);
  });
  expect(tokens.slice(0, 3)).toEqual([
    `IF('My words'!$B$2="","",'My words'!$B$2)`,
    `IF('My words'!$C$2="","",'My words'!$C$2)`,
    `IF('My words'!$D$2="","",'My words'!$D$2)`,
  ]);
  expect(await page.locator("#status-details").textContent()).toContain("Every word of your sentence is in the task's data.");

  await page.click("#forget-sentence");
  expect(await page.locator("#sentence").isDisabled()).toBe(false);
  expect(await page.locator("#forget-sentence").isHidden()).toBe(true);
  expect(seen).toEqual(clean);
  await page.close();
}, 120000);

test("a bad selection says what was expected and what came in", async () => {
  const { page, seen } = await open();
  await page.evaluate(async () => {
    const fake = (window as unknown as { __fake: Fake }).__fake;
    fake.addSheet("Sheet9", { A1: "a", B1: "b", A2: "c", B2: "d" });
    await fake.userSelects("Sheet9", "A1:B2");
  });
  await page.click("#use-embedding");
  await page.waitForFunction(() => document.getElementById("status")?.dataset.tone === "error");
  expect(await status(page)).toBe("Use selection as the embedding:");
  expect(await page.locator("#status-details").textContent()).toContain(
    'Expected a number in every cell of the embedding, but Sheet9!A1 holds "a".',
  );
  expect(await page.locator("#embedding-hint").isHidden()).toBe(true);
  expect(seen).toEqual(clean);
  await page.close();
}, 120000);
