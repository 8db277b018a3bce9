/**
 * `npm run screenshots`: regenerates the pictures in docs/images/.
 *
 * - overview.png, overview-es.png: the Overview sheet of `npm run
 *   workbook`'s default workbook (and of `-- --lang es`'s), laid out and
 *   recalculated by LibreOffice headless (exported to
 *   PDF with only the Overview visible, one page the size of the sheet's
 *   used area), rasterised by Chromium's PDF viewer at 100 % (1 pt = 4/3 px),
 *   so the picture is the size it is on a screen at 100 % zoom.
 * - pane.png: the task pane, 350 px wide as Excel shows it, in headless
 *   Chromium with the fake Excel and the real office.js (the browser tests'
 *   rig, tests/support/pane-browser.ts): the encoder preset built, trained a
 *   few steps (the loss curve), and the head view. The fake calculates
 *   nothing, so this script plays Excel's part: it computes the sheet's
 *   blocks from the trained weights it reads back (buildWorkbookPlan's
 *   values) and fires the calculated event, as the head view's browser test
 *   does with numbers of its own.
 * - pane-explain.png: then "Explain this cell" after the user selects an
 *   attention weight of head 1 (the fake's selection event), as the pane
 *   shows it: the entry, the formula with its numbers, the inputs' buttons,
 *   the tour step.
 * - pane-es.png: the same pane after the language switch is set to Español:
 *   the switch, then the explanation and the head view, in Spanish.
 *
 * Needs LibreOffice, Debian's Chromium and Carlito, the font metric-compatible
 * with Calibri, so that LibreOffice lays the workbook out in Calibri's widths
 * (all three in `bash .ci/deps`; fonts-crosextra-carlito). Not a test: it
 * makes pictures for people to look at.
 */
import { spawnSync } from "child_process";
import { promises as fs } from "fs";
import os from "os";
import path from "path";
import type { Browser, Page } from "playwright-core";
import { paramSpecs, type Params } from "../src/model/config";
import { fromRows } from "../src/model/matrix";
import { rollDice } from "../src/model/generate";
import { buildWorkbookPlan, SHEETS } from "../src/sheet/build";
import { checkBuild, type BuildFields } from "../src/taskpane/forms";
import { LibreOfficeProfile } from "../tests/support/libreoffice";
import { launch, paneRig, serveOffice } from "../tests/support/pane-browser";

const ROOT = path.resolve(__dirname, "..");
const OUT = path.join(ROOT, "docs/images");
const PANE_WIDTH = 350;
const PANE_FIELDS: BuildFields = {
  preset: "encoder",
  task: "reverse",
  sentence: "",
  dModel: "16",
  heads: "2",
  dK: "8",
  layers: "1",
  seed: "1",
  style: "cells",
};
const TRAIN_STEPS = 40;
/** The workbook's sheets in order (src/sheet/build.ts): one PDF page each. */
const SHEET_ORDER = Object.values(SHEETS);

function run(cmd: string, args: string[], cwd = ROOT): void {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 600_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.error?.message ?? r.stderr}`);
}

/** The size of each page of a PDF that LibreOffice wrote, in points, in page order (its page objects come in that order). */
async function pageSizes(pdf: string): Promise<{ width: number; height: number }[]> {
  const text = (await fs.readFile(pdf)).toString("latin1");
  return [...text.matchAll(/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/g)].map((m) => ({
    width: Number(m[1]),
    height: Number(m[2]),
  }));
}

async function overview(tmp: string, lang: "en" | "es"): Promise<void> {
  const xlsx = path.join(tmp, `default-${lang}.xlsx`);
  run("npx", ["tsx", "src/cli/workbook.ts", "--out", xlsx, "--lang", lang]);
  const profile = new LibreOfficeProfile();
  // One page per sheet, each the size of its used area; pages in the order of the sheets.
  const filter = 'pdf:calc_pdf_Export:{"SinglePageSheets":{"type":"boolean","value":"true"}}';
  run("soffice", [`-env:UserInstallation=file://${profile.dir}`, "--headless", "--convert-to", filter, "--outdir", tmp, xlsx]);
  const pdf = path.join(tmp, `default-${lang}.pdf`);
  const page = SHEET_ORDER.indexOf("Overview") + 1;
  const size = (await pageSizes(pdf))[page - 1];
  // 100 %: 96 px per inch, 72 pt per inch.
  const px = { width: Math.ceil((size.width * 4) / 3), height: Math.ceil((size.height * 4) / 3) };
  console.log(`Overview (${lang}): ${size.width.toFixed(0)} × ${size.height.toFixed(0)} pt, ${px.width} × ${px.height} px at 100 %`);
  const browser = await launch();
  try {
    const view = await browser.newPage({ viewport: { width: px.width + 60, height: px.height + 8 } });
    await view.goto(`file://${pdf}#page=${page}&toolbar=0&navpanes=0&zoom=100`);
    await view.waitForTimeout(4000);
    const whole = await view.screenshot({ path: path.join(tmp, `overview-viewer-${lang}.png`) });
    // The viewer's dark margins and the page's shadow go.
    const out = lang === "en" ? "overview.png" : `overview-${lang}.png`;
    await view.screenshot({ path: path.join(OUT, out), clip: await foreground(browser, whole) });
  } finally {
    await browser.close();
  }
}

/** The bounding box of a screenshot's light pixels (the white page on the viewer's dark grey), found on a canvas. */
async function foreground(browser: Browser, png: Buffer): Promise<{ x: number; y: number; width: number; height: number }> {
  const page = await browser.newPage();
  try {
    // A string, not a function: tsx would wrap a function's inner names in a helper the page does not have.
    return (await page.evaluate(`(async () => {
      const img = new Image();
      img.src = "data:image/png;base64,${png.toString("base64")}";
      await img.decode();
      const canvas = document.createElement("canvas");
      canvas.width = img.width;
      canvas.height = img.height;
      const g = canvas.getContext("2d");
      g.drawImage(img, 0, 0);
      const px = g.getImageData(0, 0, img.width, img.height).data;
      let x0 = img.width, y0 = img.height, x1 = -1, y1 = -1;
      for (let y = 0; y < img.height; y++)
        for (let x = 0; x < img.width; x++) {
          const k = 4 * (y * img.width + x);
          if (Math.min(px[k], px[k + 1], px[k + 2]) > 200) {
            x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
          }
        }
      return { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
    })()`)) as { x: number; y: number; width: number; height: number };
  } finally {
    await page.close();
  }
}

type Fake = import("../tests/support/fake-excel").FakeExcel;

/** The trained weights, read back from the page's fake by name. */
async function weightsIn(page: Page, names: string[]): Promise<Record<string, number[][]>> {
  return page.evaluate((ns) => {
    const fake = (window as unknown as { __fake: Fake }).__fake;
    const col = (s: string) => [...s].reduce((v, ch) => v * 26 + ch.charCodeAt(0) - 64, 0) - 1;
    const out: Record<string, number[][]> = {};
    for (const n of ns) {
      const m = /^(?:'((?:[^']|'')+)'|([^'!]+))!\$([A-Z]+)\$(\d+)(?::\$([A-Z]+)\$(\d+))?$/.exec(fake.nameRef(n) ?? "")!;
      const sheet = fake.sheet((m[1] ?? m[2]).replace(/''/g, "'"))!;
      const top = Number(m[4]) - 1;
      const left = col(m[3]);
      const rows = m[6] ? Number(m[6]) - top : 1;
      const cols = m[5] ? col(m[5]) - left + 1 : 1;
      out[n] = Array.from({ length: rows }, (_, i) =>
        Array.from({ length: cols }, (_, j) => Number(sheet.cells.get(`${top + i},${left + j}`)?.value ?? 0)),
      );
    }
    return out;
  }, names);
}

/** The page rectangle from the top of the first element to the bottom of the last, the pane's full width. */
async function around(page: Page, ids: string[]): Promise<{ x: number; y: number; width: number; height: number }> {
  const [top, bottom] = await page.evaluate((list) => {
    const y = (id: string, edge: "top" | "bottom") => document.getElementById(id)!.getBoundingClientRect()[edge] + window.scrollY;
    return [y(list[0], "top") - 12, y(list[list.length - 1], "bottom") + 8];
  }, ids);
  return { x: 0, y: top, width: PANE_WIDTH, height: bottom - top };
}

/** Pictures of the pane (at 2 device pixels a CSS pixel) one above the other, as one picture. */
async function stacked(browser: Browser, pngs: Buffer[], out: string): Promise<void> {
  const page = await browser.newPage({ viewport: { width: PANE_WIDTH, height: 100 }, deviceScaleFactor: 2 });
  try {
    const imgs = pngs.map((p) => `<img style="display:block;width:${PANE_WIDTH}px" src="data:image/png;base64,${p.toString("base64")}">`);
    await page.setContent(`<body style="margin:0">${imgs.join("")}</body>`);
    await page.evaluate(() => Promise.all([...document.images].map((i) => i.decode())));
    await page.screenshot({ path: out, fullPage: true });
  } finally {
    await page.close();
  }
}

async function pane(): Promise<void> {
  const rig = await paneRig();
  try {
    const page = await rig.browser.newPage({ viewport: { width: PANE_WIDTH, height: 900 }, deviceScaleFactor: 2 });
    await serveOffice(page);
    // tsx keeps function names with a helper, __name, that functions handed to page.evaluate call: the page gets one.
    await page.addInitScript({ content: "window.__name = (f) => f;" });
    await page.addInitScript({ content: rig.fakeBundle });
    await page.goto(`${rig.server.url}taskpane.html`);
    await page.waitForFunction(() => document.body.dataset.mode === "ready");
    await page.click("#build-button");
    await page.waitForFunction(() => /^Built/.test(document.getElementById("status-text")?.textContent ?? ""), null, { timeout: 120000 });
    await page.fill("#steps", String(TRAIN_STEPS));
    await page.click("#train-n");
    await page.waitForFunction(() => /^Trained/.test(document.getElementById("status-text")?.textContent ?? ""), null, { timeout: 300000 });

    // Excel's part: every block of the sheets, computed from the trained weights, then the calculated event.
    const checked = checkBuild(PANE_FIELDS);
    if (!checked.ok) throw new Error(`the pane's fields do not build: ${JSON.stringify(checked.errors)}`);
    const { preset, task, config, sentence, seed } = checked.value;
    const specs = paramSpecs(config);
    const read = await weightsIn(
      page,
      specs.map((s) => s.name),
    );
    const params: Params = Object.fromEntries(specs.map((s) => [s.name, fromRows(read[s.name], s.name)]));
    const plan = buildWorkbookPlan({
      preset: preset.name,
      description: preset.description,
      config,
      vocab: task.vocab,
      params,
      sentence,
      dice: rollDice(seed, config.sourceLen),
      examples: task.train,
      style: "cells",
      check: true,
    });
    const blocks = plan.sheets.flatMap((s) => s.blocks.filter((b) => b.role === "computed").map((b) => ({ b, sheet: s.name })));
    await page.evaluate(
      async (list) => {
        const fake = (window as unknown as { __fake: Fake }).__fake;
        const letters = (k: number): string =>
          k < 26 ? String.fromCharCode(65 + k) : letters(Math.floor(k / 26) - 1) + String.fromCharCode(65 + (k % 26));
        for (const { sheet, top, left, values } of list) {
          const address = `${letters(left)}${top + 1}:${letters(left + values[0].length - 1)}${top + values.length}`;
          await fake.calculate(sheet, address, values as never);
        }
      },
      [
        ...blocks.map(({ b, sheet }) => ({ sheet, top: b.top, left: b.left, values: b.values.map((r) => r.map((v) => v ?? "")) })),
        // The labels too: many are formulas that show a token ("Explain this cell" names a row by its label).
        ...plan.sheets.flatMap((s) =>
          s.blocks.flatMap((b) => [
            ...(b.rowLabels ? [{ sheet: s.name, top: b.top, left: b.left - 1, values: b.rowLabels.map((l) => [l.value ?? ""]) }] : []),
            ...(b.colLabels ? [{ sheet: s.name, top: b.top - 1, left: b.left, values: [b.colLabels.map((l) => l.value ?? "")] }] : []),
          ]),
        ),
      ],
    );
    await page.waitForTimeout(500);
    // What the pane shows first, as Excel opens it: the status and the Build form.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(OUT, "pane.png") });
    // Further down: the run's loss curve and the head view, in page coordinates (a full-page clip).
    const [top, bottom] = await page.evaluate(() => {
      const y = (id: string, edge: "top" | "bottom") => document.getElementById(id)!.getBoundingClientRect()[edge] + window.scrollY;
      return [y("train-title", "top") - 12, y("attention-panel", "bottom") + 8];
    });
    await page.screenshot({
      path: path.join(OUT, "pane-attention.png"),
      fullPage: true,
      clip: { x: 0, y: top, width: PANE_WIDTH, height: bottom - top },
    });

    // The user selects an attention weight of head 1: the query in row 2, the key in column 1.
    const attn = plan.sheets.flatMap((s) => s.blocks).find((b) => b.key === "Enc_H1_Attn")!;
    const cell = `${String.fromCharCode(65 + attn.left)}${attn.top + 2}`;
    await page.evaluate(([sheet, address]) => (window as unknown as { __fake: Fake }).__fake.userSelects(sheet, address), [
      attn.sheet,
      cell,
    ] as const);
    await page.waitForFunction(() => !document.getElementById("explain-where")!.hidden && !document.getElementById("explain-tour")!.hidden);
    await page.screenshot({ path: path.join(OUT, "pane-explain.png"), fullPage: true, clip: await around(page, ["explain-panel"]) });

    // The switch set to Español: the pane, the explanation of the same cell and the head view speak Spanish.
    await page.selectOption("#language", "es");
    await page.waitForFunction(
      () =>
        document.documentElement.lang === "es" && /^Enc_H1_Attn, fila/.test(document.getElementById("explain-where")!.textContent ?? ""),
    );
    await page.waitForTimeout(300);
    await page.evaluate(() => window.scrollTo(0, 0));
    const switchRow = await page.evaluate(() => document.getElementById("language")!.getBoundingClientRect().bottom + 10);
    const banner = await page.screenshot({ clip: { x: 0, y: 0, width: PANE_WIDTH, height: switchRow } });
    const panels = await page.screenshot({ fullPage: true, clip: await around(page, ["attention-panel", "explain-panel"]) });
    await stacked(rig.browser, [banner, panels], path.join(OUT, "pane-es.png"));
  } finally {
    await rig.close();
  }
}

async function main(): Promise<void> {
  await fs.mkdir(OUT, { recursive: true });
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), "attention-lab-shots-"));
  const which = process.argv[2];
  try {
    if (which !== "pane") for (const lang of ["en", "es"] as const) await overview(tmp, lang);
    if (which !== "overview") await pane();
  } finally {
    console.log(`Intermediate files (the workbook, the PDF, the viewer's whole window) are in ${tmp}`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
