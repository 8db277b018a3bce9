/**
 * Building a plan into a workbook through the Excel adapter, against the
 * recording fake (tests/support/fake-excel.ts): every cell, name, format,
 * note and chart lands where the plan says, in a fixed number of syncs; a
 * sheet the user already has is left alone and the renamed workbook still
 * computes the model's values (checked in HyperFormula); an Excel without
 * notes gets comments.
 */
import ExcelJS from "exceljs";
import { HyperFormula } from "hyperformula";
import { planXlsxBuffer } from "../src/cli/xlsx";
import { parseSheetRange } from "../src/excel/address";
import { applyPlan, ApplyOptions } from "../src/excel/apply";
import { META_SHEET, readMeta } from "../src/excel/meta";
import { CHART_PREFIX, excelCell, WARNINGS } from "../src/excel/write";
import { initParams, ModelConfig } from "../src/model/config";
import { configFor, getPreset, PresetName, SizeOverrides } from "../src/model/presets";
import { makeTask, Task } from "../src/model/tasks";
import { cellAddress, rangeAddress } from "../src/sheet/a1";
import { buildWorkbookPlan, TrainingLogRow } from "../src/sheet/build";
import { blockRect, PlanValue, WorkbookPlan } from "../src/sheet/plan";
import { registerExcelLookup } from "./support/excel-lookup";
import { CellValue, enterValue, FakeExcel, sheetRef } from "./support/fake-excel";

interface Built {
  name: PresetName;
  task: Task;
  config: ModelConfig;
  plan: WorkbookPlan;
}

function build(name: PresetName, overrides: SizeOverrides = {}, log?: TrainingLogRow[]): Built {
  const preset = getPreset(name);
  const task = makeTask(preset.task, { seed: 1, ...preset.taskOptions });
  const config = configFor(preset, task, overrides);
  const plan = buildWorkbookPlan({
    preset: name,
    description: preset.description,
    config,
    vocab: task.vocab,
    params: initParams(config, 3),
    sentence: task.train[0].source,
    examples: task.train.slice(0, 40),
    switches: name === "seed",
    log,
  });
  return { name, task, config, plan };
}

/** Read, core, finish (recalculate), then one sync for each kind of extra: notes, colour scales, column widths, frozen panes, and two for the chart (made, then its series). */
const BUILD_SYNCS = 3 + 6;

function apply(fake: FakeExcel, b: Built, options: ApplyOptions = {}) {
  return applyPlan(fake.context(), b.plan, {
    requirements: fake.requirements,
    meta: { preset: b.name, config: b.config, vocab: [...b.task.vocab.tokens] },
    ...options,
  });
}

/**
 * The first cell whose contents differ from what Excel makes of the plan's
 * cell, or "". With `actual`, the plan's references ('Encoder'!, always
 * quoted by the plan) are expected to name the actual sheets.
 */
function firstMismatch(fake: FakeExcel, plan: WorkbookPlan, actual: (planned: string) => string = (s) => s): string {
  const quoted = (name: string) => `'${name.replace(/'/g, "''")}'!`;
  const moved = plan.sheets.filter((s) => actual(s.name) !== s.name).map((s) => [quoted(s.name), quoted(actual(s.name))] as const);
  const renamed = (c: string | number | boolean | null) =>
    typeof c === "string" && c.startsWith("=") ? moved.reduce((f, [from, to]) => f.split(from).join(to), c) : c;
  for (const s of plan.sheets) {
    const name = actual(s.name);
    const expect = (row: number, col: number, entered: { value?: CellValue; formula?: string }): string => {
      const got = fake.cell(name, cellAddress(row, col, false));
      const same = got?.value === entered.value && got?.formula === entered.formula;
      return same
        ? ""
        : `${name}!${cellAddress(row, col, false)}: expected ${JSON.stringify(entered)}, got ${JSON.stringify(got && { value: got.value, formula: got.formula })}`;
    };
    for (const t of s.texts) {
      const m = expect(t.row, t.col, enterValue(t.text));
      if (m) return m;
    }
    for (const b of s.blocks) {
      const rect = blockRect(b);
      for (let i = 0; i < rect.cells.length; i++) {
        for (let j = 0; j < rect.cells[i].length; j++) {
          const c = renamed(excelCell(rect.cells[i][j]));
          const m = expect(rect.top + i, rect.left + j, c === null ? {} : enterValue(c));
          if (m) return m;
        }
      }
    }
  }
  return "";
}

function firstNameMismatch(
  fake: FakeExcel,
  plan: WorkbookPlan,
  actual: (planned: string) => string = (s) => s,
  names: Record<string, string> = {},
): string {
  for (const n of plan.names) {
    const want = `${sheetRef(actual(n.sheet))}!${n.range}`;
    const name = names[n.name] ?? n.name;
    if (fake.nameRef(name) !== want) return `${name}: expected ${want}, got ${fake.nameRef(name)}`;
  }
  return "";
}

const PRESETS: PresetName[] = ["seed", "encoder", "encoder-decoder", "gpt"];

describe.each(PRESETS)("the %s preset built into an empty workbook", (name) => {
  const b = build(name);
  let fake: FakeExcel;
  let report: Awaited<ReturnType<typeof applyPlan>>;

  beforeAll(async () => {
    fake = new FakeExcel();
    report = await apply(fake, b);
  });

  test("every cell holds the plan's value or formula (with its =) at its address", () => {
    expect(firstMismatch(fake, b.plan)).toBe("");
  });

  test("every name points at its block", () => {
    expect(firstNameMismatch(fake, b.plan)).toBe("");
    expect(fake.nameModels.size).toBe(b.plan.names.length);
  });

  test("syncs: read, write (calculation and screen updating suspended), finish (recalculate), then the extras", () => {
    expect(report.syncs).toBe(BUILD_SYNCS);
    expect(fake.syncs).toBe(BUILD_SYNCS);
    expect(report.warnings).toEqual([]);
    expect(report.sheets).toEqual(b.plan.sheets.map((s) => ({ planned: s.name, actual: s.name })));
    const [read, write, finish, ...extras] = fake.batches;
    expect(read.ops.every((o) => o.includes(".load"))).toBe(true);
    expect(write.ops.slice(0, 2)).toEqual([
      "Application.suspendApiCalculationUntilNextSync",
      "Application.suspendScreenUpdatingUntilNextSync",
    ]);
    expect(finish.ops).toContain("Application.calculate Recalculate");
    expect(fake.calculations).toEqual(["Recalculate"]);
    expect(extras.map((x) => x.ops[0].split(" ")[0])).toEqual([
      "NoteCollection.add",
      "ConditionalFormatCollection.add",
      "RangeFormat.columnWidth",
      "WorksheetFreezePanes.freezeRows",
      "ChartCollection.add",
      "ChartSeriesCollection.add",
    ]);
    const all = fake.batches.flatMap((x) => x.ops);
    expect(all.some((o) => /formulasLocal|values.*Local/i.test(o))).toBe(false);
  });

  test("the settings sheet is very hidden and reads back in two syncs (the sheets, then the very hidden ones' rows)", async () => {
    expect(fake.sheet(META_SHEET)?.visibility).toBe("VeryHidden");
    const before = fake.syncs;
    const meta = await readMeta(fake.context());
    expect(fake.syncs - before).toBe(2);
    expect(meta).toEqual({
      preset: name,
      config: b.config,
      vocab: [...b.task.vocab.tokens],
      sheets: Object.fromEntries(b.plan.sheets.map((s) => [s.name, s.name])),
      names: Object.fromEntries(b.plan.names.map((n) => [n.name, n.name])),
      created: { sheets: [...b.plan.sheets.map((s) => s.name), META_SHEET], names: b.plan.names.map((n) => n.name) },
    });
  });

  test("the Overview is shown, each sheet's title rows are frozen, each block's title has its note", () => {
    expect(fake.active?.name).toBe("Overview");
    for (const s of b.plan.sheets) {
      expect(fake.sheet(s.name)?.frozen).toEqual(s.freeze);
      for (const blk of s.blocks) {
        const rect = blockRect(blk);
        expect(fake.sheet(s.name)?.notes.get(cellAddress(rect.top, rect.left, false))).toBe(blk.note);
      }
    }
  });
});

test("readMeta: nothing in a workbook Attention Lab never built into, a clear error for a damaged settings sheet", async () => {
  const fake = new FakeExcel();
  fake.addSheet("Sheet1");
  expect(await readMeta(fake.context())).toBeUndefined();
  fake.addSheet(META_SHEET, { A1: "format", B1: "attention-lab/1", A2: "config", B2: "{oops" }).visibility = "VeryHidden";
  await expect(readMeta(fake.context())).rejects.toThrow(
    "The hidden AttentionLab sheet has a damaged config; rebuild the workbook from the task pane to restore it.",
  );
});

test("the fake hands a page what it needs as window.Excel and window.Office", async () => {
  const fake = new FakeExcel({ apiVersion: 12 });
  const { Excel, Office } = fake.globals();
  expect(Office.context.requirements.isSetSupported("ExcelApi", "1.12")).toBe(true);
  expect(Office.context.requirements.isSetSupported("ExcelApi", "1.13")).toBe(false);
  const names = await Excel.run(async (context) => {
    const sheets = context.workbook.worksheets.load("items/name");
    expect(() => sheets.items).toThrow(/not available/);
    await context.sync();
    return sheets.items.map((s) => s.name);
  });
  expect(names).toEqual([]);
});

test("the look matches the .xlsx writer: fills, number formats, fonts, notes, colour scales, widths, frozen rows", async () => {
  const b = build("seed");
  const fake = new FakeExcel();
  await apply(fake, b);
  const xlsx = new ExcelJS.Workbook();
  await xlsx.xlsx.load((await planXlsxBuffer(b.plan)) as unknown as ExcelJS.Buffer);
  const argb = (c?: { argb?: string }): string | undefined => (c?.argb ? `#${c.argb.slice(2)}` : undefined);
  const problems: string[] = [];
  for (const s of b.plan.sheets) {
    const ws = xlsx.getWorksheet(s.name)!;
    const sheet = fake.sheet(s.name)!;
    let filled = 0;
    ws.eachRow({ includeEmpty: true }, (row) =>
      row.eachCell({ includeEmpty: true }, (cell) => {
        const got = fake.cell(s.name, cell.address);
        const fill = cell.fill?.type === "pattern" ? argb(cell.fill.fgColor) : undefined;
        if (fill) filled += 1;
        if (fill !== got?.fill) problems.push(`${s.name}!${cell.address} fill ${fill} vs ${got?.fill}`);
        if (cell.numFmt && cell.numFmt !== got?.numberFormat)
          problems.push(`${s.name}!${cell.address} number format ${cell.numFmt} vs ${got?.numberFormat}`);
        const f = cell.font ?? {};
        if (!!f.bold !== !!got?.font?.bold || !!f.italic !== !!got?.font?.italic)
          problems.push(`${s.name}!${cell.address} font ${JSON.stringify(f)} vs ${JSON.stringify(got?.font)}`);
        if (f.size && f.size !== 11 && f.size !== got?.font?.size)
          problems.push(`${s.name}!${cell.address} size ${f.size} vs ${got?.font?.size}`);
        if (argb(f.color) !== got?.font?.color) problems.push(`${s.name}!${cell.address} colour ${argb(f.color)} vs ${got?.font?.color}`);
        const note = typeof cell.note === "string" ? cell.note : undefined;
        if (note !== sheet.notes.get(cell.address)) problems.push(`${s.name}!${cell.address} note`);
      }),
    );
    expect(filled).toBe([...sheet.cells.values()].filter((c) => c.fill).length);
    expect(sheet.notes.size).toBe(s.blocks.filter((x) => x.note).length);

    const scales = (
      ws as unknown as {
        conditionalFormattings: { ref: string; rules: { cfvo: { type: string; value?: number }[]; color: { argb: string }[] }[] }[];
      }
    ).conditionalFormattings;
    const type = { min: "LowestValue", num: "Number", max: "HighestValue" } as Record<string, string>;
    expect(sheet.conditionalFormats.map((cf) => ({ ref: cf.address, criteria: cf.criteria }))).toEqual(
      scales.map((sc) => {
        const points = sc.rules[0].cfvo.map((p, k) => ({
          type: type[p.type],
          ...(p.value !== undefined ? { formula: String(p.value) } : {}),
          color: argb(sc.rules[0].color[k]),
        }));
        const [minimum, ...rest] = points;
        const maximum = rest.pop();
        return { ref: sc.ref, criteria: rest.length ? { minimum, midpoint: rest[0], maximum } : { minimum, maximum } };
      }),
    );

    // The .xlsx writer gives ExcelJS the plan's widths in characters.
    s.columnWidths.forEach((chars, j) => {
      // Excel's JavaScript API takes points (OfficeDev/office-js#187). ECMA-376 Part 1, 18.3.1.13 (col): a width of
      // n characters is n digits of 7 pixels (Calibri 11) plus 5 pixels of padding; a pixel is 0.75 points.
      const points = sheet.columnWidths.get(j)!;
      expect(Math.abs(points - 0.75 * (7 * chars + 5)) / points).toBeLessThan(0.05);
    });
    expect(sheet.frozen?.rows).toBe(ws.views[0] && (ws.views[0] as { ySplit?: number }).ySplit);
  }
  expect(problems.slice(0, 5)).toEqual([]);
});

test("the sync count is the same for every preset and for a bigger model", async () => {
  const counts: Record<string, number> = {};
  for (const [label, b] of [
    ["seed", build("seed")],
    ["encoder", build("encoder")],
    ["encoder-decoder", build("encoder-decoder")],
    ["encoder, d_model 64, 8 heads", build("encoder", { dModel: 64, heads: 8, dFF: 128 })],
  ] as const) {
    const fake = new FakeExcel();
    counts[label] = (await apply(fake, b)).syncs;
    expect(fake.syncs).toBe(counts[label]);
  }
  expect(new Set(Object.values(counts))).toEqual(new Set([BUILD_SYNCS]));
});

test("a model too big for one request is written in parts, each under Excel on the web's 5 MB, and arrives whole", async () => {
  const b = build("encoder-decoder", { dModel: 64, heads: 8 });
  const fake = new FakeExcel({ payloadLimit: 5_000_000 });
  const status: string[] = [];
  const report = await apply(fake, b, { onStatus: (m) => status.push(m) });
  expect(report.syncs).toBeGreaterThan(BUILD_SYNCS);
  expect(report.syncs).toBe(fake.syncs);
  for (const batch of fake.batches) expect(batch.bytes).toBeLessThan(5_000_000);
  // Every write batch suspends calculation and screen updating again: they last until the next sync.
  const finish = fake.batches.findIndex((x) => x.ops.includes("Application.calculate Recalculate"));
  const writes = fake.batches.slice(1, finish);
  expect(writes.length).toBeGreaterThan(1);
  for (const w of writes) expect(w.ops[0]).toBe("Application.suspendApiCalculationUntilNextSync");
  expect(status.some((m) => / part 2 of /.test(m))).toBe(true);
  expect(firstMismatch(fake, b.plan)).toBe("");
  expect(firstNameMismatch(fake, b.plan)).toBe("");
});

test("a block bigger than the payload limit is split by rows", async () => {
  const b = build("encoder");
  const limit = 6000;
  const fake = new FakeExcel({ payloadLimit: limit });
  const report = await apply(fake, b, { payloadLimit: limit });
  const biggest = Math.max(...b.plan.sheets.flatMap((s) => s.blocks.map((x) => JSON.stringify(blockRect(x).cells).length)));
  expect(biggest).toBeGreaterThan(limit);
  expect(report.syncs).toBe(fake.syncs);
  expect(fake.batches.every((x) => x.bytes <= limit)).toBe(true);
  expect(firstMismatch(fake, b.plan)).toBe("");
});

describe("a workbook that already has an Encoder sheet and a name of its own called like one of ours", () => {
  const b = build("encoder");
  const encoder = b.plan.sheets.find((s) => s.name === "Encoder")!;
  let fake: FakeExcel;
  let report: Awaited<ReturnType<typeof applyPlan>>;
  let userCells: string;

  beforeAll(async () => {
    fake = new FakeExcel();
    // The user's own Encoder sheet has numbers exactly where the plan's Encoder blocks go,
    // so a formula still pointing at 'Encoder'! would compute something else.
    const cells: Record<string, CellValue> = { A1: "my notes" };
    for (const blk of encoder.blocks) {
      const r = blockRect(blk);
      for (let i = 0; i < r.cells.length; i++)
        for (let j = 0; j < r.cells[i].length; j++) cells[cellAddress(r.top + i, r.left + j, false)] = 7;
    }
    fake.addSheet("Encoder", cells);
    fake.addName("Enc_H1_Wq", "Encoder", "B2:C3");
    userCells = JSON.stringify([...fake.sheet("Encoder")!.cells]);
    report = await apply(fake, b);
  });

  test("the user's sheet is untouched and the plan's goes to Encoder (2), as the report says", () => {
    expect(JSON.stringify([...fake.sheet("Encoder")!.cells])).toBe(userCells);
    expect(report.sheets.find((s) => s.planned === "Encoder")).toEqual({ planned: "Encoder", actual: "Encoder (2)" });
    expect(report.sheets.filter((s) => s.planned !== s.actual)).toHaveLength(1);
    expect(report.warnings[0]).toMatch(/already has a sheet named "Encoder".*"Encoder \(2\)"/);
    expect(report.warnings[1]).toBe(
      "Your workbook already has a name Enc_H1_Wq; this build's block is named Enc_H1_Wq_AL, and your Enc_H1_Wq is unchanged.",
    );
    expect(report.names.Enc_H1_Wq).toBe("Enc_H1_Wq_AL");
    expect(report.syncs).toBe(BUILD_SYNCS);
  });

  test("every formula, label, name and the settings refer to the renamed sheet", async () => {
    const rename = (s: string) => (s === "Encoder" ? "Encoder (2)" : s);
    for (const s of fake.sheets) {
      if (s.name === "Encoder") continue;
      for (const c of s.cells.values()) expect(c.formula ?? "").not.toMatch(/'Encoder'!|(^|[^'\w])Encoder!/);
    }
    expect(firstNameMismatch(fake, b.plan, rename, report.names)).toBe("");
    expect(fake.nameRef("Enc_H1_Wq")).toBe("Encoder!$B$2:$C$3");
    expect(fake.nameRef("Enc_H1_Wq_AL")).toMatch(/^'Encoder \(2\)'!/);
    const meta = await readMeta(fake.context());
    expect(meta?.sheets.Encoder).toBe("Encoder (2)");
    expect(meta?.names?.Enc_H1_Wq).toBe("Enc_H1_Wq_AL");
  });

  test("the workbook as written computes the model's values in HyperFormula", () => {
    const sheets = Object.fromEntries(fake.sheets.map((s) => [s.name, fake.grid(s.name)]));
    registerExcelLookup(); // MATCH and ROW as Excel computes them
    const hf = HyperFormula.buildFromSheets(sheets, { licenseKey: "gpl-v3", useArrayArithmetic: true, smartRounding: false });
    let worst = { where: "", diff: 0 };
    let checked = 0;
    for (const n of b.plan.names) {
      const blk = b.plan.sheets.flatMap((s) => s.blocks).find((x) => x.key === n.name)!;
      if (blk.role === "log") continue;
      const r = parseSheetRange(fake.nameRef(report.names[n.name])!);
      const id = hf.getSheetId(r.sheet)!;
      blk.values.forEach((row, i) =>
        row.forEach((want, j) => {
          const got = hf.getCellValue({ sheet: id, row: r.top + i, col: r.left + j }) as PlanValue;
          const d =
            typeof want === "number"
              ? typeof got === "number"
                ? Math.abs(got - want) / Math.max(1, Math.abs(want))
                : Infinity
              : got === want
                ? 0
                : Infinity;
          checked += 1;
          if (d > worst.diff) worst = { where: `${n.name}[${i},${j}]: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`, diff: d };
        }),
      );
    }
    expect(checked).toBeGreaterThan(1000);
    expect(worst.diff <= 1e-9 ? "ok" : worst.where).toBe("ok");
  });
});

test("building again puts a second copy beside the first, re-points the names and reuses the settings sheet", async () => {
  const b = build("encoder");
  const fake = new FakeExcel();
  await apply(fake, b);
  const again = await apply(fake, b);
  // One more than the first build: the rows of the very hidden settings sheet are read to find the names it made.
  expect(again.syncs).toBe(BUILD_SYNCS + 1);
  expect(again.sheets.every((s) => s.actual === `${s.planned} (2)`)).toBe(true);
  expect(again.warnings.some((w) => w.startsWith(`${b.plan.names.length} named ranges from an earlier build`))).toBe(true);
  expect(firstNameMismatch(fake, b.plan, (s) => `${s} (2)`)).toBe("");
  expect(firstMismatch(fake, b.plan, (s) => `${s} (2)`)).toBe("");
  expect(fake.sheets.filter((s) => s.name === META_SHEET)).toHaveLength(1);
  expect((await readMeta(fake.context()))?.sheets.Input).toBe("Input (2)");
});

describe("the loss chart", () => {
  const chartOf = (fake: FakeExcel) => fake.sheet("Training")!.charts[0];

  test("over an empty log: titled and placed as planned, its series named and given its ranges once Excel has made the chart", async () => {
    const b = build("encoder");
    const planned = b.plan.sheets.find((s) => s.name === "Training")!.charts[0];
    const fake = new FakeExcel();
    await apply(fake, b);
    const chart = chartOf(fake);
    expect(chart.name).toBe(`${CHART_PREFIX}${planned.title}`);
    expect(chart.title).toBe(planned.title);
    expect(chart.type).toBe("Line");
    expect(chart.position).toEqual({
      start: cellAddress(planned.top, planned.left, false),
      end: cellAddress(planned.top + planned.height - 1, planned.left + planned.width - 1, false),
    });
    expect(chart.series).toHaveLength(1);
    const [s] = chart.series;
    expect(s.name).toBe("Loss");
    expect(`'${s.values!.sheet.name}'!${rangeAddress(s.values!.rect.top, s.values!.rect.left, s.values!.rect.rows, 1)}`).toBe(
      planned.series[0].values,
    );
    expect(`'${s.xValues!.sheet.name}'!${rangeAddress(s.xValues!.rect.top, s.xValues!.rect.left, s.xValues!.rect.rows, 1)}`).toBe(
      planned.categories,
    );
  });

  test("over a log with rows: Excel's own series is named and given the steps as x values", async () => {
    const log = [1, 2, 3].map((step) => ({ step, loss: 2 / step, accuracy: step / 4, seconds: step / 10 }));
    const fake = new FakeExcel();
    await apply(fake, build("encoder", {}, log));
    const chart = chartOf(fake);
    expect(chart.series).toHaveLength(1);
    expect(chart.series[0].name).toBe("Loss");
    expect(chart.series[0].values!.rect.rows).toBe(3);
    expect(chart.series[0].xValues!.rect.rows).toBe(3);
    expect(fake.batches.at(-1)!.ops.some((o) => o.startsWith("ChartSeriesCollection.add"))).toBe(false);
  });
});

describe("an Excel without notes (ExcelApi 1.10-1.17): requirement sets are checked at run time and the build still succeeds", () => {
  const b = build("seed");

  test("notes become comments on the block titles", async () => {
    const fake = new FakeExcel({ apiVersion: 10 });
    const report = await apply(fake, b);
    expect(firstMismatch(fake, b.plan)).toBe("");
    expect(firstNameMismatch(fake, b.plan)).toBe("");
    expect(report.syncs).toBe(BUILD_SYNCS);
    expect(report.warnings).toEqual([WARNINGS.notesAsComments]);
    const titles = b.plan.sheets.flatMap((s) =>
      s.blocks.filter((x) => x.note).map((x) => `${s.name}!${cellAddress(blockRect(x).top, blockRect(x).left, false)}`),
    );
    expect(fake.comments.map((c) => `${c.sheet.name}!${c.cell}`)).toEqual(titles);
    expect(fake.sheets.every((s) => s.notes.size === 0)).toBe(true);
  });
});
