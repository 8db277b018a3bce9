/**
 * The pane's head view over the real Excel adapter and the recording fake:
 * an encoder–decoder with two heads is built, HyperFormula calculates the
 * fake's cells (tests/support/fake-engine.ts), and the reader must hand back
 * what those cells hold, every head of a block in one sync; a calculation
 * makes the panel read again, and selecting cells inside a head's weights
 * shows that head. The fake's events follow Microsoft's documentation of
 * WorksheetCalculatedEventArgs and WorksheetSelectionChangedEventArgs.
 */
import { attentionTargets, type AttentionTarget } from "../src/excel/attention-read";
import { AttentionPanel } from "../src/taskpane/attention-panel";
import { Controller } from "../src/taskpane/controller";
import { drawnWeights } from "../src/taskpane/head-view";
import { ExcelHost } from "../src/taskpane/host";
import { calculatedNames } from "./support/fake-engine";
import { FakeExcel, parseAddress } from "./support/fake-excel";
import type { ModelConfig } from "../src/model/config";
import { SMALL_ENCODER_DECODER_FIELDS } from "./support/pane-fields";

/** A named block's sheet, rectangle and A1 address in the fake. */
function where(fake: FakeExcel, name: string): { sheet: string; top: number; left: number; rows: number; cols: number; address: string } {
  const ref = fake.nameRef(name);
  if (!ref || ref === "#REF!") throw new Error(`no range named ${name}`);
  const { sheet, rect } = parseAddress(ref);
  return { sheet: sheet!, ...rect, address: ref.split("!")[1].replace(/\$/g, "") };
}

function values(fake: FakeExcel, name: string): unknown[][] {
  const w = where(fake, name);
  const s = fake.sheetOrThrow(w.sheet);
  return Array.from({ length: w.rows }, (_, i) =>
    Array.from({ length: w.cols }, (_, j) => s.cells.get(`${w.top + i},${w.left + j}`)?.value ?? ""),
  );
}

/** What Excel would show after calculating: every named block's cells get HyperFormula's values (formulas stay). */
async function calculateAll(fake: FakeExcel): Promise<void> {
  for (const c of calculatedNames(fake.workbookCells())) await fake.calculate(c.sheet, c.address, c.values);
}

let fake: FakeExcel;
let host: ExcelHost;
let config: ModelConfig;
let targets: AttentionTarget[];

beforeAll(async () => {
  fake = new FakeExcel();
  host = new ExcelHost(fake.run, fake.requirements);
  const pane = new Controller(host);
  await pane.start();
  await pane.build(SMALL_ENCODER_DECODER_FIELDS);
  expect(pane.state.status.tone).toBe("ok");
  config = pane.state.model!.config;
  targets = attentionTargets(config);
  await calculateAll(fake);
}, 120000);

test("the blocks come from the layer list: Enc, Dec_Self (causal), Dec_Cross (keys from the source)", () => {
  expect(targets.map((t) => [t.block, t.role, t.queries, t.keys, t.heads])).toEqual([
    ["Enc", "self", "source", "source", 2],
    ["Dec_Self", "masked", "target", "target", 2],
    ["Dec_Cross", "cross", "target", "source", 2],
  ]);
});

test("every head of a block, its query and key tokens and the keys' visibility come in one sync, as the cells hold them", async () => {
  const cross = targets.find((t) => t.block === "Dec_Cross")!;
  const before = fake.syncs;
  const read = await host.readAttention(config, cross);
  expect(fake.syncs - before).toBe(1);
  expect(read.weights).toEqual([values(fake, "Dec_Cross_H1_Attn"), values(fake, "Dec_Cross_H2_Attn")]);
  expect(read.queries).toEqual(values(fake, "Dec_Tokens")[0]);
  expect(read.keys).toEqual(values(fake, "Tokens")[0]);
  expect(read.keyVisible).toEqual(values(fake, "Key_Visible")[0].map((v) => v === 1));
  // An empty Tokens cell reads as <pad> in the sheet's formulas.
  expect(read.keys.filter((_, j) => !read.keyVisible[j]).every((w) => w === "" || w === "<pad>")).toBe(true);
  expect(read.keyVisible).toContain(false);
});

test("rows are queries and columns keys: HyperFormula's causal weights are 0 after the query and sum to 1; lines go only to keys a query may see", async () => {
  const self = targets.find((t) => t.block === "Dec_Self")!;
  const read = await host.readAttention(config, self);
  const visible = (values(fake, "Dec_Key_Visible")[0] as number[]).map((v) => v === 1);
  for (const grid of read.weights) {
    grid.forEach((row, i) => {
      row.forEach((w, j) => {
        if (j > i || !visible[j]) expect(w).toBe(0);
      });
      expect(row.reduce<number>((a, w) => a + (w ?? 0), 0)).toBeCloseTo(1, 12);
    });
  }
  const pairs = read.queries.reduce((n, _, i) => n + visible.filter((v, j) => v && j <= i).length, 0);
  expect(drawnWeights(read, 1)).toHaveLength(pairs);
  expect(drawnWeights(read, "all")).toHaveLength(2 * pairs);
});

test("the panel listens in one sync, reads again when the workbook calculates, and shows the head whose weights the user selects", async () => {
  const panel = new AttentionPanel(host);
  const before = fake.syncs;
  await panel.start();
  expect(fake.syncs - before).toBe(1);
  expect(fake.batches[fake.batches.length - 1].ops).toEqual([
    "WorksheetCollection.onCalculated.add",
    "WorksheetCollection.onSelectionChanged.add",
  ]);
  panel.follow(config, false);
  await panel.refresh();
  expect(panel.state.block).toBe("Enc");
  expect(panel.state.read?.weights[0]).toEqual(values(fake, "Enc_H1_Attn"));

  // Excel recalculates Enc_H1_Attn with other numbers: the panel reads them.
  const enc = where(fake, "Enc_H1_Attn");
  const fresh = Array.from({ length: enc.rows }, (_, i) => Array.from({ length: enc.cols }, (_, j) => (i === j ? 1 : 0)));
  await fake.calculate(enc.sheet, enc.address, fresh);
  expect(panel.state.read?.weights[0]).toEqual(fresh);

  // A cell inside Dec_Cross_H2_Attn: Dec_Cross, head 2.
  const h2 = where(fake, "Dec_Cross_H2_Attn");
  const cell = `${String.fromCharCode(65 + h2.left + 1)}${h2.top + 2}`;
  await fake.userSelects(h2.sheet, cell);
  expect([panel.state.block, panel.state.head, panel.state.read?.target.block]).toEqual(["Dec_Cross", 2, "Dec_Cross"]);
  expect(panel.state.read?.weights[1]).toEqual(values(fake, "Dec_Cross_H2_Attn"));

  // A cell outside every head's weights leaves the view as it is.
  await fake.userSelects(h2.sheet, "A1");
  expect([panel.state.block, panel.state.head]).toEqual(["Dec_Cross", 2]);
  // Head 1 of the same block: no new read of the weights.
  const h1 = where(fake, "Dec_Cross_H1_Attn");
  const syncs = fake.syncs;
  await fake.userSelects(h1.sheet, h1.address.split(":")[0]);
  expect([panel.state.block, panel.state.head, fake.syncs - syncs]).toEqual(["Dec_Cross", 1, 1]);
});

test("a burst of calculations costs one read more, not one each", async () => {
  const panel = new AttentionPanel(host);
  panel.follow(config, false);
  await panel.refresh();
  const before = fake.syncs;
  await Promise.all([panel.refresh(), panel.refresh(), panel.refresh(), panel.refresh()]);
  expect(fake.syncs - before).toBe(2);
});

test("a missing head's name is said in the panel, and the weights shown before stay", async () => {
  const panel = new AttentionPanel(host);
  panel.follow(config, false);
  await panel.refresh();
  const shown = panel.state.read;
  const enc = fake.nameModels.get("enc_h2_attn")!;
  fake.deleteName("Enc_H2_Attn");
  try {
    await panel.refresh();
    expect(panel.state.error).toMatch(/^Could not read Enc's attention: The named range Enc_H2_Attn is missing/);
    expect(panel.state.read).toBe(shown);
  } finally {
    fake.nameModels.set("enc_h2_attn", enc);
  }
});
