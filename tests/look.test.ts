/**
 * One look, two renderers: a small plan with a block of every role, a text
 * of every style, the three colour scales and both kinds of number format,
 * built through the Excel adapter (the recording fake) and written by the
 * .xlsx writer (read back with ExcelJS), shows the same fills, fonts,
 * number formats and colour scales in every cell, and they are the ones
 * documented here. The colours of the scales are Excel's own presets (its
 * "Green - White" and "Red - White - Blue" colour scales use #63BE7B,
 * #F8696B and #5A8AC6).
 */
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { planXlsxBuffer } from "../src/cli/xlsx";
import { applyPlan } from "../src/excel/apply";
import { cellAddress, rangeAddress } from "../src/sheet/a1";
import { blockRect, Heatmap, Label, PlanBlock, PlanSheet, PlanText, WorkbookPlan } from "../src/sheet/plan";
import { FakeExcel } from "./support/fake-excel";

interface Font {
  bold?: boolean;
  italic?: boolean;
  size?: number;
  color?: string;
}
interface Look {
  fill?: string;
  font: Font;
  format?: string;
}
type Point = { type: "number"; value: number; color: string } | { type: "lowest" | "highest"; color: string };

const YELLOW = "#FFF2CC";
const GREEN = "#E2EFDA";
const FILL: Record<PlanBlock["role"], string | undefined> = {
  weight: YELLOW,
  input: GREEN,
  switch: GREEN,
  data: GREEN,
  computed: undefined,
  log: undefined,
};
const TEXT: Record<PlanText["style"], Font> = {
  heading: { bold: true, size: 14 },
  subheading: { bold: true },
  body: {},
  hint: { italic: true, color: "#7F7F7F" },
};
const TITLE: Font = { bold: true };
const LABEL: Font = { color: "#595959" };
const WHITE = "#FFFFFF";
const SCALE: Record<Heatmap, Point[]> = {
  attention: [
    { type: "number", value: 0, color: WHITE },
    { type: "number", value: 1, color: "#2F75B5" },
  ],
  probability: [
    { type: "number", value: 0, color: WHITE },
    { type: "number", value: 1, color: "#63BE7B" },
  ],
  diverging: [
    { type: "lowest", color: "#F8696B" },
    { type: "number", value: 0, color: WHITE },
    { type: "highest", color: "#5A8AC6" },
  ],
};

const labels = (prefix: string, n: number): Label[] =>
  Array.from({ length: n }, (_, i) => ({ cell: `${prefix}${i + 1}`, value: `${prefix}${i + 1}` }));

function block(
  key: string,
  role: PlanBlock["role"],
  top: number,
  left: number,
  rows: number,
  cols: number,
  extra: Partial<PlanBlock> = {},
): PlanBlock {
  const g = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i + 1) / (j + 2)));
  return { key, named: false, sheet: "Look", title: key, note: "", role, top, left, rows, cols, cells: g, values: g, ...extra };
}

const blocks: PlanBlock[] = [
  block("W", "weight", 7, 2, 2, 2, { rowLabels: labels("r", 2), colLabels: labels("c", 2), numberFormat: "0.00", heatmap: "diverging" }),
  block("I", "input", 7, 6, 1, 2),
  block("S", "switch", 7, 9, 1, 1),
  block("D", "data", 7, 11, 1, 2, { colLabels: labels("d", 2) }),
  block("A", "computed", 13, 2, 2, 2, { numberFormat: "0.00", heatmap: "attention" }),
  block("P", "computed", 13, 6, 2, 2, { rowLabels: labels("p", 2), heatmap: "probability" }),
  block("L", "log", 13, 10, 2, 2, { colLabels: labels("l", 2), columnFormats: ["0", "0.0%"] }),
];
const texts: PlanText[] = (["heading", "hint", "subheading", "body"] as const).map((style, row) => ({ row, col: 0, text: style, style }));
const sheet: PlanSheet = { name: "Look", purpose: "", blocks, texts, charts: [], columnWidths: [] };
const plan: WorkbookPlan = { sheets: [sheet], names: [] };

/** Every written cell and the look this file documents for it. */
function expected(): Map<string, Look> {
  const out = new Map<string, Look>();
  for (const t of texts) out.set(cellAddress(t.row, t.col, false), { font: TEXT[t.style] });
  const formats: Record<string, (string | undefined)[]> = { W: ["0.00", "0.00"], A: ["0.00", "0.00"], L: ["0", "0.0%"] };
  for (const b of blocks) {
    const rect = blockRect(b);
    rect.cells.forEach((row, i) =>
      row.forEach((c, j) => {
        if (c !== null) out.set(cellAddress(rect.top + i, rect.left + j, false), { font: i === 0 && j === 0 ? TITLE : LABEL });
      }),
    );
    for (let i = 0; i < b.rows; i++)
      for (let j = 0; j < b.cols; j++)
        out.set(cellAddress(b.top + i, b.left + j, false), { fill: FILL[b.role], font: {}, format: formats[b.key]?.[j] });
  }
  return out;
}

const font = (f: Font | undefined): Font =>
  Object.fromEntries(
    Object.entries({ bold: f?.bold || undefined, italic: f?.italic || undefined, size: f?.size, color: f?.color }).filter(
      ([, v]) => v !== undefined,
    ),
  );
const hex = (argb: string | undefined): string | undefined => (argb ? `#${argb.slice(2)}` : undefined);

function xlsxLook(c: ExcelJS.Cell): Look {
  const fill = c.fill?.type === "pattern" ? hex(c.fill.fgColor?.argb) : undefined;
  // ExcelJS reads a styled cell's font back with the default size, 11, spelled out.
  const size = c.font?.size === 11 ? undefined : c.font?.size;
  return { fill, font: font(c.font && { ...c.font, size, color: hex(c.font.color?.argb) }), format: c.numFmt || undefined };
}

let fake: FakeExcel;
let ws: ExcelJS.Worksheet;
beforeAll(async () => {
  fake = new FakeExcel();
  await applyPlan(fake.context(), plan, { requirements: fake.requirements });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await planXlsxBuffer(plan)) as unknown as ExcelJS.Buffer);
  ws = wb.getWorksheet("Look")!;
});

test("the Excel adapter gives every cell the documented fill, font and number format", () => {
  const got = new Map<string, Look>();
  for (const address of expected().keys()) {
    const c = fake.cell("Look", address);
    got.set(address, { fill: c?.fill, font: font(c?.font), format: c?.numberFormat });
  }
  expect(got).toEqual(expected());
});

test("the .xlsx writer gives every cell the documented fill, font and number format", () => {
  const got = new Map<string, Look>();
  for (const address of expected().keys()) got.set(address, xlsxLook(ws.getCell(address)));
  expect(got).toEqual(expected());
});

const scales = blocks
  .filter((b) => b.heatmap)
  .map((b) => ({ ref: rangeAddress(b.top, b.left, b.rows, b.cols, false), points: SCALE[b.heatmap!] }))
  .sort((x, y) => x.ref.localeCompare(y.ref));

test("the Excel adapter's colour scales are the documented ones", () => {
  const type = { Number: "number", LowestValue: "lowest", HighestValue: "highest" } as Record<string, Point["type"]>;
  type Criterion = { type: string; formula?: string; color: string };
  const got = fake.sheet("Look")!.conditionalFormats.map((cf) => {
    const c = cf.criteria as { minimum: Criterion; midpoint?: Criterion; maximum: Criterion };
    const points = [c.minimum, ...(c.midpoint ? [c.midpoint] : []), c.maximum].map((p) => ({
      type: type[p.type],
      ...(p.formula !== undefined ? { value: Number(p.formula) } : {}),
      color: p.color,
    }));
    return { ref: cf.address, points };
  });
  expect(got.sort((x, y) => x.ref.localeCompare(y.ref))).toEqual(scales);
});

test("the .xlsx writer's colour scales are the documented ones", () => {
  const type = { num: "number", min: "lowest", max: "highest" } as Record<string, Point["type"]>;
  const formatted = (
    ws as unknown as {
      conditionalFormattings: { ref: string; rules: { cfvo: { type: string; value?: number }[]; color: { argb: string }[] }[] }[];
    }
  ).conditionalFormattings;
  const got = formatted.map((cf) => ({
    ref: cf.ref,
    points: cf.rules[0].cfvo.map((p, k) => ({
      type: type[p.type],
      ...(p.value !== undefined ? { value: p.value } : {}),
      color: hex(cf.rules[0].color[k].argb),
    })),
  }));
  expect(got.sort((x, y) => x.ref.localeCompare(y.ref))).toEqual(scales);
});

test("a block whose column formats do not match its columns is refused with both counts", async () => {
  const bad = block("Bad", "log", 3, 1, 1, 3, { columnFormats: ["0", "0.00"] });
  await expect(planXlsxBuffer({ sheets: [{ ...sheet, blocks: [bad] }], names: [] })).rejects.toThrow(
    "the block Bad has 3 columns but 2 column formats",
  );
});

test("every font the .xlsx writer declares names its face and size, Calibri 11 unless the look says otherwise", async () => {
  // A <font> without <name> or <sz> leaves them to the reader: LibreOffice drew such text (every title and label)
  // in its own default face, a serif wider than Calibri, and clipped it (the Overview screenshot).
  const zip = await JSZip.loadAsync(await planXlsxBuffer(plan));
  const styles = await zip.file("xl/styles.xml")!.async("string");
  const fonts = [...styles.matchAll(/<font>(.*?)<\/font>|<font\/>/g)].map((m) => m[1] ?? "");
  expect(fonts.length).toBeGreaterThan(1);
  const faces = fonts.map((f) => ({ name: /<name val="([^"]*)"\/>/.exec(f)?.[1], size: /<sz val="([^"]*)"\/>/.exec(f)?.[1] }));
  const sizes = new Set(faces.map((f) => f.size));
  expect(faces.filter((f) => f.name !== "Calibri" || f.size === undefined)).toEqual([]);
  expect(sizes).toEqual(new Set(["11", "14"]));
});
