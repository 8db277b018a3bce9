/**
 * The workbook as the trainer's parameter store, against the recording fake:
 * one sync to read every weight, one to write them, clear messages when a
 * named range is missing, resized, renamed or holds text; and the pane's
 * other reads and writes (log, gradients, selecting a block).
 */
import { applyPlan } from "../src/excel/apply";
import { WorkbookError } from "../src/excel/errors";
import { gradientName, writeGradients } from "../src/excel/gradients";
import { appendLog, LOG_NAME } from "../src/excel/log";
import { ExcelParamStore, selectBlock } from "../src/excel/store";
import { initParams, ModelConfig, Params, paramSpecs } from "../src/model/config";
import { configFor, encodeExamples, getPreset } from "../src/model/presets";
import { makeTask } from "../src/model/tasks";
import { rangeAddress } from "../src/sheet/a1";
import { buildWorkbookPlan } from "../src/sheet/build";
import { TrainingSession } from "../src/train/session";
import type { ParamStore } from "../src/train/store";
import { FakeExcel } from "./support/fake-excel";

const preset = getPreset("encoder");
const task = makeTask(preset.task, { seed: 1, ...preset.taskOptions });
const config: ModelConfig = configFor(preset, task);
const params = initParams(config, 11);
const examples = task.train.slice(0, 30);
const plan = buildWorkbookPlan({
  preset: "encoder",
  description: "",
  config,
  vocab: task.vocab,
  params,
  sentence: task.train[0].source,
  examples,
});
const nameOf = (key: string) => plan.names.find((n) => n.name === key)!;
/** "$C$5:$J$20" → "C5:J20" */
const bare = (range: string) => range.replace(/\$/g, "");

async function built(): Promise<FakeExcel> {
  const fake = new FakeExcel();
  // With the settings, as the pane builds: they record which names the add-in made.
  await applyPlan(fake.context(), plan, {
    requirements: fake.requirements,
    meta: { preset: "encoder", config, vocab: [...task.vocab.tokens] },
  });
  return fake;
}

/** Syncs `f` makes on the fake. */
async function syncsOf(fake: FakeExcel, f: () => Promise<unknown>): Promise<number> {
  const before = fake.syncs;
  await f();
  return fake.syncs - before;
}

async function problemsOf(p: Promise<unknown>): Promise<string[]> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(WorkbookError);
  return (e as WorkbookError).problems;
}

function shifted(p: Params, by: number): Params {
  const out: Params = {};
  for (const [k, m] of Object.entries(p)) out[k] = { rows: m.rows, cols: m.cols, data: m.data.map((v, i) => v + by * ((i % 7) - 3)) };
  return out;
}

describe("ExcelParamStore", () => {
  test("is a ParamStore: read gives every weight exactly, in one sync", async () => {
    const fake = await built();
    const store: ParamStore = new ExcelParamStore(config, fake.run);
    let read: Params = {};
    expect(await syncsOf(fake, async () => (read = await store.read()))).toBe(1);
    expect(Object.keys(read)).toEqual(paramSpecs(config).map((s) => s.name));
    for (const [k, m] of Object.entries(params)) expect(read[k]).toEqual(m);
    expect(fake.batches[fake.syncs - 1].ops.every((o) => o.startsWith("Range.load"))).toBe(true);
  });

  test("write puts every weight in one sync, and read(write(p)) is p", async () => {
    const fake = await built();
    const store = new ExcelParamStore(config, fake.run);
    const next = shifted(params, 0.01);
    expect(await syncsOf(fake, () => store.write(next))).toBe(1);
    expect(fake.batches[fake.syncs - 1].ops).toHaveLength(paramSpecs(config).length);
    const wq = nameOf("Enc_H1_Wq");
    expect(fake.cell("Encoder", bare(wq.range).split(":")[0])?.value).toBe(next.Enc_H1_Wq.data[0]);
    const back = await store.read();
    for (const [k, m] of Object.entries(next)) expect(back[k]).toEqual(m);
  });

  test("weights too big for one request or response are read and written in parts, and still round-trip", async () => {
    const fake = await built();
    // Above the largest matrix (Enc_FF_W1, 16 × 32), below all of them: a matrix is never split.
    const limit = 12000;
    const store = new ExcelParamStore(config, fake.run, limit);
    const next = shifted(params, 0.02);
    const writes = await syncsOf(fake, () => store.write(next));
    let back: Params = {};
    const reads = await syncsOf(fake, async () => (back = await store.read()));
    expect(writes).toBeGreaterThan(1);
    expect(reads).toBeGreaterThan(1);
    for (const b of fake.batches.slice(-(writes + reads))) expect(b.bytes).toBeLessThanOrEqual(limit);
    for (const [k, m] of Object.entries(next)) expect(back[k]).toEqual(m);
  });

  test("a training step is one read and one write", async () => {
    const fake = await built();
    const store = new ExcelParamStore(config, fake.run);
    const session = new TrainingSession({ store, config, train: encodeExamples(task, config, examples), optimizer: preset.optimizer });
    const before = fake.syncs;
    await session.step();
    const batches = fake.batches.slice(before);
    expect(batches).toHaveLength(2);
    expect(batches[0].ops.every((o) => o.startsWith("Range.load"))).toBe(true);
    // The write loads each range just before writing it, in the same sync, to notice a user's edit.
    expect(batches[1].ops.every((o) => o.startsWith("Range.values") || o === "Range.load address,formulas")).toBe(true);
    expect(batches[1].ops.filter((o) => o.startsWith("Range.values"))).toHaveLength(paramSpecs(config).length);
    expect((await store.read()).Enc_H1_Wq).not.toEqual(params.Enc_H1_Wq);
  });

  test("a missing name: the message says which and what to do", async () => {
    const fake = await built();
    fake.deleteName("Enc_H1_Wq");
    const store = new ExcelParamStore(config, fake.run);
    expect(await problemsOf(store.read())).toEqual([
      "The named range Enc_H1_Wq is missing: rebuild the workbook or restore the name (Formulas > Name Manager).",
    ]);
    expect(await problemsOf(store.write(params))).toEqual([
      "The named range Enc_H1_Wq is missing: rebuild the workbook or restore the name (Formulas > Name Manager).",
    ]);
  });

  test("a renamed name reads as missing", async () => {
    const fake = await built();
    const wq = nameOf("Enc_H1_Wq");
    fake.deleteName("Enc_H1_Wq");
    fake.addName("My_Wq", "Encoder", bare(wq.range));
    expect(await problemsOf(new ExcelParamStore(config, fake.run).read())).toEqual([
      "The named range Enc_H1_Wq is missing: rebuild the workbook or restore the name (Formulas > Name Manager).",
    ]);
  });

  test("a resized range: expected and actual sizes, and where", async () => {
    const fake = await built();
    const wq = nameOf("Enc_H1_Wq");
    const [first] = bare(wq.range).split(":");
    const narrower = bare(
      rangeAddress(
        plan.sheets.find((s) => s.name === "Encoder")!.blocks.find((b) => b.key === "Enc_H1_Wq")!.top,
        plan.sheets.find((s) => s.name === "Encoder")!.blocks.find((b) => b.key === "Enc_H1_Wq")!.left,
        16,
        7,
      ),
    );
    expect(narrower.startsWith(first)).toBe(true);
    fake.deleteName("Enc_H1_Wq");
    fake.addName("Enc_H1_Wq", "Encoder", narrower);
    expect(await problemsOf(new ExcelParamStore(config, fake.run).read())).toEqual([
      `Enc_H1_Wq should be 16 × 8 but the named range covers 16 × 7 (Encoder!${narrower}).`,
    ]);
  });

  test("text, an error and an empty cell inside weights: each cell is named", async () => {
    const fake = await built();
    const wq = plan.sheets.flatMap((s) => s.blocks).find((b) => b.key === "Enc_H1_Wq")!;
    const at = (i: number, j: number) => bare(rangeAddress(wq.top + i, wq.left + j, 1, 1));
    fake.setCell("Encoder", at(2, 1), "abc");
    fake.setCell("Encoder", at(3, 0), "#DIV/0!");
    fake.setCell("Encoder", at(0, 0), "");
    const before = fake.syncs;
    expect(await problemsOf(new ExcelParamStore(config, fake.run).read())).toEqual([
      `Enc_H1_Wq needs a number in Encoder!${at(0, 0)} but it is empty.`,
      `Enc_H1_Wq needs a number in Encoder!${at(2, 1)} but it holds the text "abc".`,
      `Enc_H1_Wq needs a number in Encoder!${at(3, 0)} but it holds the error #DIV/0!.`,
    ]);
    expect(fake.syncs - before).toBe(1);
  });

  test("a deleted sheet: every name on it is reported at once, not only the first", async () => {
    const fake = await built();
    fake.deleteSheet("Output");
    fake.deleteName("Enc_FF_W1");
    const problems = await problemsOf(new ExcelParamStore(config, fake.run).read());
    expect(problems).toEqual([
      "The named range Enc_FF_W1 is missing: rebuild the workbook or restore the name (Formulas > Name Manager).",
      ...["Out_W", "Out_B"].map(
        (n) =>
          `The named range ${n} no longer points at cells (it is #REF!): its sheet or cells were deleted. Rebuild the workbook, or point the name at the block again (Formulas > Name Manager).`,
      ),
    ]);
  });

  test("a weight that is not a finite number is refused before anything is written", async () => {
    const fake = await built();
    const bad = shifted(params, 0);
    bad.Enc_Wo.data[5] = NaN;
    const before = fake.syncs;
    await expect(new ExcelParamStore(config, fake.run).write(bad)).rejects.toThrow("Enc_Wo has NaN at row 1, column 6");
    expect(fake.syncs).toBe(before);
  });
});

test("selectBlock shows the block's sheet and selects its range in one sync", async () => {
  const fake = await built();
  expect(await syncsOf(fake, () => selectBlock(fake.context(), "Enc_H1_Attn"))).toBe(1);
  expect(fake.active?.name).toBe("Encoder");
  expect(fake.selection?.address).toBe(bare(nameOf("Enc_H1_Attn").range));
  await expect(selectBlock(fake.context(), "Nope")).rejects.toThrow("The named range Nope is missing");
});

describe("appendLog", () => {
  const rows = (from: number, n: number) =>
    Array.from({ length: n }, (_, k) => ({ step: from + k, loss: 2 / (from + k), accuracy: 0.1 * k, seconds: 0.5 * k }));
  const log = nameOf(LOG_NAME);
  const top = plan.sheets.find((s) => s.name === "Training")!.blocks[0].top;
  const left = plan.sheets.find((s) => s.name === "Training")!.blocks[0].left;

  test("appends below the rows already there, stretches the name and the chart: read, write, chart, a sync each", async () => {
    const fake = await built();
    let report = await appendLog(fake.context(), rows(1, 3));
    expect(report).toEqual({ rows: 3, syncs: 3, warnings: [] });
    report = await appendLog(fake.context(), rows(4, 2));
    expect(report.rows).toBe(5);
    expect(fake.nameRef(LOG_NAME)).toBe(`Training!${rangeAddress(top, left, 5, 4)}`);
    expect(log.range).toBe(rangeAddress(top, left, 1, 4));
    for (let i = 0; i < 5; i++) {
      expect(fake.cell("Training", bare(rangeAddress(top + i, left, 1, 1)))?.value).toBe(i + 1);
      expect(fake.cell("Training", bare(rangeAddress(top + i, left + 1, 1, 1)))?.value).toBe(2 / (i + 1));
    }
    const [series] = fake.sheet("Training")!.charts[0].series;
    expect(series.name).toBe("Loss");
    expect(series.values?.rect).toEqual({ top, left: left + 1, rows: 5, cols: 1 });
    expect(series.xValues?.rect).toEqual({ top, left, rows: 5, cols: 1 });
  });

  test("stretches the Overview's copy of the loss chart too, in the same syncs", async () => {
    const fake = await built();
    expect(fake.sheet("Overview")!.charts).toHaveLength(1);
    const report = await appendLog(fake.context(), rows(1, 3));
    expect(report).toEqual({ rows: 3, syncs: 3, warnings: [] });
    const [series] = fake.sheet("Overview")!.charts[0].series;
    expect(series.values?.sheet.name).toBe("Training");
    expect(series.values?.rect).toEqual({ top, left: left + 1, rows: 3, cols: 1 });
    expect(series.xValues?.rect).toEqual({ top, left, rows: 3, cols: 1 });
  });
});

describe("writeGradients", () => {
  const grads = shifted(params, 0.001);

  test("makes a Gradients sheet laid out like the weights, with names and colour scales: the sheets and names, the settings, the core, then a sync for each kind of extra", async () => {
    const fake = await built();
    const before = fake.syncs;
    const report = await writeGradients(fake.context(), grads, { requirements: fake.requirements });
    const kinds = fake.batches.slice(before + 3).map((b) => b.ops[0].split(" ")[0]);
    // The Gradients sheet keeps Excel's column widths: no sync for them.
    expect(kinds).toEqual(["NoteCollection.add", "ConditionalFormatCollection.add", "WorksheetFreezePanes.freezeRows"]);
    expect(report).toEqual({ sheet: "Gradients", created: true, syncs: 6, warnings: [] });
    expect(fake.syncs - before).toBe(6);
    const sheet = fake.sheet("Gradients")!;
    for (const [name, m] of Object.entries(grads)) {
      const ref = fake.nameRef(gradientName(name))!;
      expect(ref).toMatch(/^Gradients!/);
      const [first] = bare(ref.slice("Gradients!".length)).split(":");
      expect(fake.cell("Gradients", first)?.value).toBe(m.data[0]);
    }
    expect(sheet.conditionalFormats).toHaveLength(Object.keys(grads).length);
    expect(new Set(sheet.conditionalFormats.map((c) => JSON.stringify(c.criteria))).size).toBe(1);
  });

  test("the next call writes by name (names the settings say the add-in made) into the same sheet, three syncs", async () => {
    const fake = await built();
    await writeGradients(fake.context(), grads, { requirements: fake.requirements });
    const later = shifted(grads, 0.5);
    const report = await writeGradients(fake.context(), later, { requirements: fake.requirements });
    expect(report).toEqual({ sheet: "Gradients", created: false, syncs: 3, warnings: [] });
    expect(fake.sheets.filter((s) => s.name.startsWith("Gradients"))).toHaveLength(1);
    const [first] = bare(fake.nameRef(gradientName("Out_B"))!.slice("Gradients!".length)).split(":");
    expect(fake.cell("Gradients", first)?.value).toBe(later.Out_B.data[0]);
  });

  test("leaves a user's own Gradients sheet alone, and moves on when the model's sizes change", async () => {
    const fake = await built();
    fake.addSheet("Gradients", { A1: "mine" });
    expect((await writeGradients(fake.context(), grads, { requirements: fake.requirements })).sheet).toBe("Gradients (2)");
    expect(fake.grid("Gradients")).toEqual([["mine"]]);
    const smaller = initParams({ ...config, dModel: 8, dK: 4, peDims: 8 }, 1);
    const report = await writeGradients(fake.context(), smaller, { requirements: fake.requirements });
    expect(report.sheet).toBe("Gradients (3)");
    expect(report.warnings[0]).toMatch(/sizes changed.*"Gradients \(3\)"/);
    expect(fake.nameRef(gradientName("Enc_H1_Wq"))).toMatch(/^'Gradients \(3\)'!/);
  });
});
