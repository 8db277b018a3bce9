/**
 * The Overview's heat maps are narrow (four side by side on one screen), and
 * a token label is often wider than a map's column: in Calibri 11 "<pad>" is
 * wider than 4.5 characters. Measured in headless Chromium with Carlito, the
 * font metric-compatible with Calibri (fonts-crosextra-carlito, .ci/deps), at
 * Calibri 11's 14.67 px; a column w characters wide holds 7w px of text
 * (7w + 5 px with its padding: OfficeDev/office-js#187). Excel and LibreOffice
 * cut such a label at the next cell, so "pescado" read "pesca" in the
 * screenshot: every column label of a map shrinks to fit its column instead
 * (Excel's "Shrink to fit", RangeFormat.shrinkToFit, ExcelApi 1.7), in the
 * Excel adapter and in the .xlsx writer.
 */
import ExcelJS from "exceljs";
import type { Browser } from "playwright-core";
import { planXlsxBuffer } from "../src/cli/xlsx";
import { applyPlan } from "../src/excel/apply";
import type { PresetName } from "../src/model/presets";
import { cellAddress } from "../src/sheet/a1";
import type { WorkbookPlan } from "../src/sheet/plan";
import { build } from "./support/builds";
import { FakeExcel } from "./support/fake-excel";
import { launch } from "./support/pane-browser";

const CALIBRI_11_PX = (11 * 96) / 72;
const PRESETS: PresetName[] = ["seed", "encoder", "encoder-decoder", "gpt"];

/** A preset's plan as the pane builds it, and its vocabulary. */
function plan(name: PresetName): { plan: WorkbookPlan; vocab: readonly string[] } {
  const built = build(name);
  return { plan: built.plan, vocab: built.task.vocab.tokens };
}

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
}, 60000);
afterAll(async () => {
  await browser?.close();
});

/** Each text's width in Carlito at Calibri 11's size, in px; refuses to measure in a fallback font. */
async function widths(texts: string[]): Promise<number[]> {
  const page = await browser.newPage();
  try {
    const got = await page.evaluate(
      ({ texts, px }) => {
        const g = document.createElement("canvas").getContext("2d")!;
        const measure = (font: string) => {
          g.font = `${px}px ${font}`;
          return texts.map((s) => g.measureText(s).width);
        };
        const carlito = measure("Carlito, monospace");
        return { carlito, fallback: measure("monospace") };
      },
      { texts, px: CALIBRI_11_PX },
    );
    if (JSON.stringify(got.carlito) === JSON.stringify(got.fallback))
      throw new Error("Carlito is not installed: this test measures Calibri's metrics with it (apt-get install fonts-crosextra-carlito)");
    return got.carlito;
  } finally {
    await page.close();
  }
}

test("some token of every preset is wider than a heat map's narrowest column, in Calibri 11's metrics", async () => {
  for (const name of PRESETS) {
    const { plan: p, vocab } = plan(name);
    const overview = p.sheets.find((s) => s.name === "Overview")!;
    const maps = overview.blocks.filter((b) => b.heatmap === "attention");
    const narrowest = Math.min(...maps.flatMap((b) => overview.columnWidths.slice(b.left, b.left + b.cols)));
    const measured = await widths([...vocab]);
    expect({ name, wider: vocab.filter((_, k) => measured[k] > 7 * narrowest).length > 0 }).toEqual({ name, wider: true });
  }
}, 60000);

test.each(PRESETS)(
  "the %s Overview's map column labels shrink to fit, in the Excel adapter and the .xlsx writer",
  async (name) => {
    const { plan: p } = plan(name);
    const maps = p.sheets.find((s) => s.name === "Overview")!.blocks.filter((b) => b.heatmap === "attention");
    expect(maps.length).toBeGreaterThan(0);
    const labels = maps.flatMap((b) => b.colLabels!.map((_, j) => cellAddress(b.top - 1, b.left + j, false)));
    const fake = new FakeExcel();
    await applyPlan(fake.context(), p, { requirements: fake.requirements });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await planXlsxBuffer(p)) as unknown as ExcelJS.Buffer);
    const ws = wb.getWorksheet("Overview")!;
    const notShrunk = labels.filter((a) => fake.cell("Overview", a)?.shrinkToFit !== true || ws.getCell(a).alignment?.shrinkToFit !== true);
    expect(notShrunk).toEqual([]);
    // Their row labels sit in a wider column and keep Calibri 11 as it is.
    const rowLabel = cellAddress(maps[0].top, maps[0].left - 1, false);
    expect([fake.cell("Overview", rowLabel)?.shrinkToFit, ws.getCell(rowLabel).alignment?.shrinkToFit]).toEqual([undefined, undefined]);
  },
  60000,
);
