/**
 * The task pane in headless Chromium, built as `npm run build` builds it and
 * served over HTTP, with the real office.js (from @microsoft/office-js, in
 * place of Microsoft's CDN, so the test stays offline) under the page's own
 * Content-Security-Policy. Outside Excel the pane says how to open it; with
 * the fake workbook installed as `Excel`, Build and Train N steps run end to
 * end, and words from cells stay text. Every test fails on a console error,
 * a policy violation or a failed request.
 */
import { promises as fs } from "fs";
import type { Browser, Frame, Page } from "playwright-core";
import { buildPane, CLEAN, launch, OFFICE_JS_URL, serve, serveOffice, TELEMETRY_FRAME_URL, watch, type Seen } from "./support/pane-browser";

const SHOTS = "/tmp";
const XSS = "<img src=x onerror=alert(1)>";
const CDN = OFFICE_JS_URL.replace(/office\.js$/, "");

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

/**
 * A new page at the pane (with `query` after taskpane.html); `inExcel` adds
 * the fake workbook. `external` lists every request that leaves our server.
 */
async function openPane(inExcel: boolean, query = ""): Promise<{ page: Page; seen: Seen; external: string[] }> {
  const page = await browser.newPage({ viewport: { width: 360, height: 900 } });
  const seen = await watch(page);
  const external: string[] = [];
  page.on("request", (r) => {
    if (!r.url().startsWith(server.url)) external.push(r.url());
  });
  await serveOffice(page);
  if (inExcel) await page.addInitScript({ content: fakeBundle });
  await page.goto(`${server.url}taskpane.html${query}`);
  return { page, seen, external };
}

const clean = CLEAN;

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
    return Array.from({ length: rows }, (_, i) =>
      Array.from({ length: cols }, (_, j) => sheet.cells.get(`${top + i},${left + j}`)?.value ?? ""),
    );
  }, name);
}

/** Puts `value` into cell (i, j) of a named block of the page's fake workbook; returns the cell's A1 address. */
function setNamedCell(page: Page, name: string, i: number, j: number, value: string): Promise<string> {
  return page.evaluate(
    ([n, r, c, v]) => {
      const fake = (window as unknown as { __fake: import("./support/fake-excel").FakeExcel }).__fake;
      const m = /^(?:'((?:[^']|'')+)'|([^'!]+))!\$([A-Z]+)\$(\d+)/.exec(fake.nameRef(n as string) ?? "")!;
      const col = [...m[3]].reduce((x, ch) => x * 26 + ch.charCodeAt(0) - 64, 0) - 1 + (c as number);
      const letters = (k: number): string =>
        k < 26 ? String.fromCharCode(65 + k) : letters(Math.floor(k / 26) - 1) + String.fromCharCode(65 + (k % 26));
      const address = `${letters(col)}${Number(m[4]) + (r as number)}`;
      fake.setCell(m[1] ?? m[2], address, v as string);
      return address;
    },
    [name, i, j, value] as const,
  );
}

test("the built page loads office.js from Microsoft's CDN under its policy, with no inline script and no bundle that evaluates text", async () => {
  const page = await browser.newPage();
  const html = await fs.readFile(`${dir}/taskpane.html`, "utf8");
  const head = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, "text/html");
    const policy = doc.querySelector<HTMLMetaElement>('meta[http-equiv="Content-Security-Policy"]');
    const all = [...doc.querySelectorAll("*")];
    return {
      firstScript: doc.scripts[0]?.getAttribute("src"),
      policyFirst: !!policy && all.indexOf(policy) < all.indexOf(doc.scripts[0]),
      scriptSrc: /(?:^|;)\s*script-src ([^;]*)/.exec(policy?.content ?? "")?.[1],
      inline: [...doc.scripts].filter((el) => !el.src).map((el) => el.outerHTML),
      handlers: all.flatMap((el) =>
        el
          .getAttributeNames()
          .filter((a) => a.startsWith("on"))
          .map((a) => `${el.tagName} ${a}`),
      ),
    };
  }, html);
  await page.close();
  expect(head.firstScript).toBe(OFFICE_JS_URL);
  expect(head.policyFirst).toBe(true);
  // 'wasm-unsafe-eval' compiles WebAssembly only (the matrix kernel); JavaScript eval stays refused.
  expect(head.scriptSrc?.split(/\s+/).filter((s) => !["'self'", "'wasm-unsafe-eval'", CDN].includes(s))).toEqual([]);
  expect(head.inline).toEqual([]);
  expect(head.handlers).toEqual([]);
  for (const file of (await fs.readdir(dir)).filter((f) => f.endsWith(".js") && f !== "fake-excel-page.js")) {
    const code = await fs.readFile(`${dir}/${file}`, "utf8");
    expect([file, code.match(/(?<![\w$.])(?:eval|Function)\s*\(|set(?:Timeout|Interval)\s*\(\s*["'`]/g)]).toEqual([file, null]);
  }
});

test("outside Office, with the real office.js: the pane says how to open it from Excel and keeps every action off", async () => {
  const { page, seen, external } = await openPane(false);
  await page.waitForFunction(() => document.getElementById("status-text")?.textContent?.startsWith("Open this page from Excel"));
  expect(await statusText(page)).toBe("Open this page from Excel: it is open in a browser, not in Excel.");
  expect(await page.locator("#status-details").innerText()).toMatch(/Home > Open Attention Lab/);
  for (const id of ["build-button", "train-step", "train-n", "cancel", "undo", "reset", "tour-next", "tour-back"]) {
    expect(await page.locator(`#${id}`).isDisabled()).toBe(true);
  }
  await page.screenshot({ path: `${SHOTS}/attention-lab-pane-outside.png`, fullPage: true });
  // office.js adds its hidden telemetry frame 3 s after it starts: the policy must let that load too.
  const isTelemetry = (f: Frame) => f.url() === TELEMETRY_FRAME_URL;
  if (!page.frames().some(isTelemetry))
    await page.waitForEvent("framenavigated", { predicate: (f) => f !== page.mainFrame(), timeout: 10000 });
  expect(seen).toEqual(clean);
  expect(
    page
      .frames()
      .filter((f) => f !== page.mainFrame())
      .map((f) => f.url()),
  ).toEqual([TELEMETRY_FRAME_URL]);
  expect(external).toEqual([OFFICE_JS_URL, `${CDN}o15apptofilemappingtable.js`, TELEMETRY_FRAME_URL]);
  await page.close();
});

test.each([
  ["Windows", "?_host_Info=Excel$Win32$16.01$en-US$$$$0", "excel-win32-16.01.js"],
  ["Mac", "?_host_Info=Excel$Mac$16.00$en-US$$$$0", "excel-mac-16.00.js"],
  // On the web, the hash names the conversation with the Excel page that frames the pane; here no page answers.
  [
    "the web",
    "?_host_Info=Excel$Web$16.00$en-US$$$$0#&_xdm_Info=conversation|addin|https%3a%2f%2fexcel.officeapps.live.com",
    "excel-web-16.00.js",
  ],
])(
  "told by the URL that it runs in Excel on %s, office.js loads and starts that host's script within the policy",
  async (_host, query, script) => {
    // Office passes the host in _host_Info; with no Excel to answer, office.js never gets ready, but its host script has loaded and run its set-up.
    const { page, seen, external } = await openPane(false, query);
    await page.waitForFunction(() => typeof (window as { Excel?: { run?: unknown } }).Excel?.run === "function");
    await page.waitForLoadState("networkidle");
    expect(external.sort()).toEqual([OFFICE_JS_URL, `${CDN}${script}`, `${CDN}en-us/office_strings.js`].sort());
    expect(seen).toEqual(clean);
    await page.close();
  },
);

test("in (fake) Excel: Build, then Train N steps with progress, a moving loss, new weights and a 20-row log", async () => {
  const { page, seen, external } = await openPane(true);
  await page.waitForFunction(() => document.getElementById("status-text")?.textContent?.startsWith("Ready."));
  // The real library ran beside the fake: office.js and the script it loads outside Office, and its OSF namespace.
  expect(external.slice(0, 2)).toEqual([OFFICE_JS_URL, `${CDN}o15apptofilemappingtable.js`]);
  expect(await page.evaluate(() => typeof (window as { OSF?: unknown }).OSF)).toBe("object");

  // Every field has a label, and the keyboard reaches Build: Tab from the first field, then Enter.
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLInputElement | HTMLSelectElement>("input, select")]
      .filter((el) => el.labels?.length === 0)
      .map((el) => el.id || el.name),
  );
  expect(unlabelled).toEqual([]);
  await page.focus("#preset");
  for (let i = 0; i < 20 && (await page.evaluate(() => document.activeElement?.id)) !== "build-button"; i++)
    await page.keyboard.press("Tab");
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("build-button");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.getElementById("status-text")?.textContent?.startsWith("Built"), undefined, { timeout: 60000 });
  expect(await statusText(page)).toMatch(/^Built 7 sheets for the encoder preset/);

  const before = await namedValues(page, "Enc_H1_Wq");
  await page.fill("#steps", "20");
  expect(await page.locator("#train-n").textContent()).toBe("Train 20 steps");
  await page.evaluate(() => {
    const w = window as unknown as { losses: string[] };
    w.losses = [];
    new MutationObserver(() => w.losses.push(document.getElementById("loss")!.textContent ?? "")).observe(
      document.getElementById("loss")!,
      {
        childList: true,
        characterData: true,
        subtree: true,
      },
    );
  });
  await page.click("#train-n");
  await page.waitForFunction(
    () => /^(Trained|Training stopped)/.test(document.getElementById("status-text")?.textContent ?? ""),
    undefined,
    {
      timeout: 60000,
    },
  );
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
  expect(
    await page.evaluate(() => (window as unknown as { __fake: import("./support/fake-excel").FakeExcel }).__fake.selection?.sheet.name),
  ).toBe("Input");

  // Explain this cell: the user selects a weight (its value and last gradient), then a cell of Q, whose input button selects X's row.
  type Fake = import("./support/fake-excel").FakeExcel;
  const corner = (name: string, i: number, j: number) =>
    page.evaluate(
      ([n, r, c]) => {
        const fake = (window as unknown as { __fake: Fake }).__fake;
        const m = /^(?:'((?:[^']|'')+)'|([^'!]+))!\$([A-Z]+)\$(\d+)/.exec(fake.nameRef(n as string) ?? "")!;
        const col = [...m[3]].reduce((v, ch) => v * 26 + ch.charCodeAt(0) - 64, 0) - 1 + (c as number);
        let letters = "";
        for (let k = col + 1; k > 0; k = Math.floor((k - 1) / 26)) letters = String.fromCharCode(65 + ((k - 1) % 26)) + letters;
        return void fake.userSelects((m[1] ?? m[2]).replace(/''/g, "'"), `${letters}${Number(m[4]) + (r as number)}`);
      },
      [name, i, j] as const,
    );
  expect(await page.locator("#explain-live").getAttribute("aria-live")).toBe("polite");
  await corner("Enc_H1_Wq", 1, 2);
  await page.waitForFunction(() => document.getElementById("explain-where")?.textContent?.startsWith("Enc_H1_Wq, row 'd2', column 'k3'"));
  const wq = (await namedValues(page, "Enc_H1_Wq"))[1][2] as number;
  expect(await page.locator("#explain-holds").textContent()).toBe(`It holds ${wq < 0 ? "−" : ""}${Math.abs(wq).toFixed(2)}.`);
  expect(await page.locator("#explain-training").textContent()).toMatch(/gradient for this cell is \S+ \(Gradients sheet\)/);
  await corner("Enc_H1_Q", 0, 0);
  await page.waitForFunction(() => document.getElementById("explain-where")?.textContent?.startsWith("Enc_H1_Q, row "));
  await page.focus(".explain-input");
  expect(await page.evaluate(() => document.activeElement?.textContent)).toMatch(/^Select X, row /);
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => (window as unknown as { __fake: Fake }).__fake.selection?.sheet.name === "Input");
  const xRef = await page.evaluate(() => (window as unknown as { __fake: Fake }).__fake.nameRef("X")!);
  const selected = await page.evaluate(() => (window as unknown as { __fake: Fake }).__fake.selection!.address);
  // X's first row: the row of the query's token.
  expect(selected.split(":")[0]).toBe(xRef.split("!")[1].split(":")[0].replace(/\$/g, ""));
  expect(await page.locator("#explain-tour").textContent()).toMatch(/step 3, "Queries, keys and values"/);

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
  await page.waitForFunction(() =>
    document.getElementById("status-text")?.textContent?.startsWith("Restored the weights you had before the reset"),
  );
  expect(await namedValues(page, "Out_W")).toEqual(trained);

  expect(seen).toEqual(clean);
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
  expect(server.requests).not.toContain("/x");
  expect(seen).toEqual(clean);
  await page.close();
});

test("gpt in the pane: the prompt field, the Layers field's check, two layers built, and Roll the dice with its undo", async () => {
  const { page, seen } = await openPane(true);
  await page.waitForFunction(() => document.getElementById("status-text")?.textContent?.startsWith("Ready."));
  expect(await page.locator("#dice-panel").isHidden()).toBe(true);
  expect(await page.locator("#task option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual([
    "copy",
    "reverse",
    "sort",
    "translate",
    "stories",
  ]);
  expect(await page.locator("#sentence-label").textContent()).toBe("Sentence on the Overview sheet");

  await page.selectOption("#preset", "gpt");
  expect(await page.locator("#task").inputValue()).toBe("stories");
  expect(await page.locator("#layers").inputValue()).toBe("1");
  expect(await page.locator("#sentence-label").textContent()).toBe("Prompt on the Overview sheet");

  await page.fill("#layers", "9");
  await page.click("#build-button");
  await page.waitForFunction(() => !document.getElementById("layers-error")?.hidden);
  expect(await page.locator("#layers-error").textContent()).toBe('Layers should be a whole number from 1 to 6, not "9".');
  expect(await page.locator("#layers").getAttribute("aria-invalid")).toBe("true");

  await page.fill("#layers", "2");
  await page.fill("#dModel", "8");
  await page.fill("#heads", "2");
  await page.fill("#dK", "4");
  await page.click("#build-button");
  await page.waitForFunction(() => document.getElementById("status-text")?.textContent?.startsWith("Built"), undefined, { timeout: 60000 });
  expect(await statusText(page)).toMatch(/for the gpt preset/);
  expect(await page.locator("#layers-error").isHidden()).toBe(true);
  expect(await page.locator("#model-summary").textContent()).toMatch(/gpt preset, d_model 8/);
  expect(
    await page.evaluate(
      () => (window as unknown as { __fake: import("./support/fake-excel").FakeExcel }).__fake.sheet("Decoder 2") !== undefined,
    ),
  ).toBe(true);

  expect(await page.locator("#dice-panel").isVisible()).toBe(true);
  const built = (await namedValues(page, "Dice")).flat();
  await page.click("#roll-dice");
  await page.waitForFunction(() => document.getElementById("status-text")?.textContent?.startsWith("Rolled new dice"));
  const rolled = (await namedValues(page, "Dice")).flat();
  expect(rolled).toHaveLength(built.length);
  expect(rolled.every((v) => typeof v === "number" && v >= 0 && v < 1)).toBe(true);
  expect(rolled).not.toEqual(built);
  expect(await page.locator("#undo").textContent()).toBe("Undo the roll");
  await page.screenshot({ path: `${SHOTS}/attention-lab-pane-dice.png`, fullPage: true });

  await page.click("#undo");
  await page.waitForFunction(() => document.getElementById("status-text")?.textContent?.startsWith("Put back the Dice values"));
  expect((await namedValues(page, "Dice")).flat()).toEqual(built);
  expect(await page.locator("#undo").textContent()).toBe("Undo training");
  expect(await page.locator("#undo").isDisabled()).toBe(true);

  expect(seen).toEqual(clean);
  await page.close();
});
