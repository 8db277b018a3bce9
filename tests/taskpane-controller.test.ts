/**
 * The task pane's controller over the real Excel adapter and the recording
 * fake workbook: build, train with the log and the gradients, cancel, the
 * divergence guard, undo, reset (confirmed, and undoable), the Data sheet's
 * checks, the tour, and picking up a workbook built earlier.
 */
import { readFileSync, readdirSync } from "fs";
import path from "path";
import { initParams, paramSpecs } from "../src/model/config";
import type { Controller as ControllerType, PaneState } from "../src/taskpane/controller";
import { Controller } from "../src/taskpane/controller";
import type { BuildFields, TrainFields } from "../src/taskpane/forms";
import { ExcelHost } from "../src/taskpane/host";
import { FakeExcel, parseAddress } from "./support/fake-excel";

const buildFields = (over: Partial<BuildFields> = {}): BuildFields => ({
  preset: "encoder",
  task: "reverse",
  sentence: "",
  dModel: "16",
  heads: "2",
  dK: "8",
  seed: "1",
  style: "cells",
  ...over,
});
const trainFields = (over: Partial<TrainFields> = {}): TrainFields => ({ optimizer: "adam", lr: "0.01", steps: "20", ...over });

/** Every value of a named block, read from the fake's cells. */
function block(fake: FakeExcel, name: string): unknown[][] {
  const ref = fake.nameRef(name);
  if (!ref || ref === "#REF!") throw new Error(`no range named ${name}`);
  const { sheet, rect } = parseAddress(ref);
  return Array.from({ length: rect.rows }, (_, i) =>
    Array.from({ length: rect.cols }, (_, j) => fake.sheetOrThrow(sheet!).cells.get(`${rect.top + i},${rect.left + j}`)?.value ?? ""),
  );
}

/** The sheet and A1 address of cell (i, j) of a named block. */
function cellOf(fake: FakeExcel, name: string, i: number, j: number): { sheet: string; address: string } {
  const { sheet, rect } = parseAddress(fake.nameRef(name)!);
  const col = String.fromCharCode(65 + rect.left + j);
  return { sheet: sheet!, address: `${col}${rect.top + i + 1}` };
}

async function built(over: Partial<BuildFields> = {}, writeEvery = 5): Promise<{ fake: FakeExcel; pane: ControllerType }> {
  const fake = new FakeExcel();
  const pane = new Controller(new ExcelHost(fake.run, fake.requirements), { writeEvery });
  await pane.start();
  await pane.build(buildFields(over));
  expect(pane.state.status.tone).toBe("ok");
  return { fake, pane };
}

test("outside Excel the pane says how to open it and does nothing to a workbook", async () => {
  const pane = new Controller();
  pane.outside("it is open in a browser, not in Excel.");
  expect(pane.state.mode).toBe("outside");
  expect(pane.state.status.text).toMatch(/^Open this page from Excel/);
  expect(pane.state.details.join(" ")).toMatch(/Home > Open Attention Lab/);
  await pane.build(buildFields());
  await pane.train(trainFields());
  expect(pane.state.busy).toBeUndefined();
  expect(pane.state.model).toBeUndefined();
});

test("Build writes the sheets and the hidden settings; the fields are checked first", async () => {
  const fake = new FakeExcel();
  const pane = new Controller(new ExcelHost(fake.run, fake.requirements));
  await pane.start();
  expect(pane.state.status.text).toMatch(/press Build/);

  await pane.build(buildFields({ dModel: "0", heads: "x", seed: "-1" }));
  expect(Object.keys(pane.state.errors).sort()).toEqual(["dModel", "heads", "seed"]);
  await pane.build(buildFields({ task: "translate" }));
  expect(pane.state.errors.task).toMatch(/needs the encoder-decoder preset/);
  await pane.build(buildFields({ sentence: "a b gato" }));
  expect(pane.state.errors.sentence).toMatch(/"gato" \(word 3\) is not a word of the reverse task/);
  expect(fake.sheets).toHaveLength(0);

  await pane.build(buildFields({ sentence: "h g f e d c" }));
  expect(pane.state.errors).toEqual({});
  expect(pane.state.status).toEqual({ text: expect.stringMatching(/^Built 7 sheets for the encoder preset/), tone: "ok" });
  expect(block(fake, "Tokens")).toEqual([["h", "g", "f", "e", "d", "c"]]);
  expect(fake.nameRef("Check_Max_Diff")).toMatch(/^Encoder!/);
  expect(pane.state.model?.vocab.slice(0, 4)).toEqual(["<pad>", "<s>", "</s>", "a"]);
  expect(pane.state.tour.steps.map((s) => s.title)).toEqual([
    "Embedding",
    "Positional encoding",
    "Queries, keys and values",
    "Scores",
    "Softmax",
    "Weighted sum",
    "Multi-head attention",
    "Residual and LayerNorm",
    "Feed-forward network",
    "Output",
  ]);
});

test("Build in the functions style writes ATTN.* formulas", async () => {
  const { fake } = await built({ style: "functions" });
  const { sheet, address } = cellOf(fake, "Enc_H1_Q", 0, 0);
  // A1 references, not the names X and Enc_H1_Wq, which a later build would re-point.
  const at = (name: string) => fake.nameRef(name)!.replace(/^[^!]*!/, "");
  expect(fake.cell(sheet, address)?.formula).toBe(`ATTN.LINEAR('Input'!${at("X")},${at("Enc_H1_Wq")})`);
});

test("Train N steps: progress, loss and accuracy, weights written every few steps, the log and the gradients", async () => {
  const { fake, pane } = await built();
  const before = block(fake, "Enc_H1_Wq");
  const seen: PaneState[] = [];
  pane.subscribe((s) => seen.push(s));
  const writesBefore = fake.batches.flatMap((b) => b.ops).filter((op) => op.startsWith("Range.values") && op.includes("Encoder!")).length;

  await pane.train(trainFields());
  const s = pane.state;
  expect(s.status.tone).toBe("ok");
  expect(s.status.text).toMatch(/^Trained 20 steps in [\d.]+ s\. Loss [\d.]+ → [\d.]+, accuracy [\d.]+%\.$/);
  expect(s.progress).toEqual({ done: 20, total: 20 });
  expect(s.metrics?.step).toBe(20);
  const losses = seen.filter((x) => x.metrics).map((x) => x.metrics!.loss);
  expect(new Set(losses).size).toBeGreaterThan(10);
  expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
  expect(block(fake, "Enc_H1_Wq")).not.toEqual(before);
  // Writes at steps 5, 10, 15 and the end: each writes every weight on the Encoder sheet, Enc_H1_Wq among them.
  const writes =
    fake.batches.flatMap((b) => b.ops).filter((op) => op.startsWith("Range.values") && op.includes("Encoder!")).length - writesBefore;
  const encoderWeights = paramSpecs(pane.state.model!.config).filter((p) => p.name.startsWith("Enc_")).length;
  expect(writes).toBe(4 * encoderWeights);

  const log = block(fake, "Train_Log");
  expect(log).toHaveLength(20);
  expect(log.map((r) => r[0])).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  expect(log.every((r) => typeof r[1] === "number" && typeof r[2] === "number" && typeof r[3] === "number")).toBe(true);

  const grad = block(fake, "Grad_Enc_H1_Wq");
  expect(grad).toHaveLength(16);
  expect(grad.flat().every((v) => typeof v === "number" && Number.isFinite(v))).toBe(true);
  expect(grad.flat().some((v) => v !== 0)).toBe(true);
  expect(fake.sheet("Gradients")).toBeDefined();

  // A second run numbers its log rows on.
  await pane.train(trainFields(), 1);
  expect(block(fake, "Train_Log").map((r) => r[0])).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
});

test("Cancel stops a run after the current step; the log holds the steps taken", async () => {
  const { fake, pane } = await built();
  pane.subscribe((s) => {
    if (s.progress?.done === 3) pane.cancel();
  });
  await pane.train(trainFields({ steps: "50" }));
  expect(pane.state.status.text).toMatch(/^Cancelled after 3 of 50 steps; the weights of step 3 are in the workbook/);
  expect(block(fake, "Train_Log")).toHaveLength(3);
  expect(pane.state.busy).toBeUndefined();
});

test("Undo training walks back run by run", async () => {
  const { fake, pane } = await built();
  const start = block(fake, "Embedding");
  await pane.train(trainFields({ steps: "5" }));
  const afterFirst = block(fake, "Embedding");
  await pane.train(trainFields({ steps: "5" }));
  expect(pane.state.undo).toMatch(/before the last run of 5 steps \(step 5\)/);

  await pane.undo();
  expect(block(fake, "Embedding")).toEqual(afterFirst);
  expect(pane.state.status.text).toMatch(/Restored the weights from before the last run \(step 5\)\. Undo again/);
  await pane.undo();
  expect(block(fake, "Embedding")).toEqual(start);
  expect(pane.state.undo).toBeUndefined();

  // Training goes on from the restored step.
  await pane.train(trainFields({ steps: "2" }));
  expect(block(fake, "Train_Log").map((r) => r[0])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1, 2]);
});

test("Reset weights asks first, re-initialises from the seed, and can be undone", async () => {
  const { fake, pane } = await built();
  await pane.train(trainFields({ steps: "5" }));
  const trained = block(fake, "Out_W");

  pane.requestReset();
  expect(pane.state.confirmingReset).toBe(true);
  pane.cancelReset();
  expect(pane.state.confirmingReset).toBe(false);
  expect(block(fake, "Out_W")).toEqual(trained);

  pane.requestReset();
  await pane.confirmReset("7");
  expect(pane.state.status.text).toMatch(/Reset every weight from seed 7/);
  const fresh = initParams(pane.state.model!.config, 7).Out_W;
  expect(block(fake, "Out_W").flat()).toEqual(Array.from(fresh.data));
  expect(pane.state.undo).toMatch(/before "Reset weights"/);

  await pane.undo();
  expect(block(fake, "Out_W")).toEqual(trained);
  // The run before the reset is still undoable after undoing the reset.
  expect(pane.state.undo).toMatch(/before the last run/);
});

test("the divergence guard stops training and writes back the last good weights", async () => {
  const { fake, pane } = await built();
  await pane.train(trainFields({ lr: "100", steps: "30" }));
  expect(pane.state.status.tone).toBe("error");
  expect(pane.state.status.text).toMatch(/^Training diverged at step \d+: .*try a smaller learning rate/);
  const weights = block(fake, "Enc_FF_W1").flat();
  expect(weights.every((v) => typeof v === "number" && Number.isFinite(v))).toBe(true);
  expect(pane.state.undo).toBeDefined();
});

test("the Data sheet is checked before training: an unknown word is named by its cell", async () => {
  const { fake, pane } = await built();
  const before = block(fake, "Embedding");
  const { sheet, address } = cellOf(fake, "Data_Source", 6, 1);
  fake.setCell(sheet, address, "gato");
  const target = cellOf(fake, "Data_Target", 2, 0);
  fake.setCell(target.sheet, target.address, "<img src=x onerror=alert(1)>");
  await pane.train(trainFields());
  expect(pane.state.status).toEqual({ text: "Training stopped:", tone: "error" });
  expect(pane.state.details).toEqual([
    `Data!${target.address} holds "<img src=x onerror=alert(1)>", which is not in the vocabulary.`,
    `Data!${address} holds "gato", which is not in the vocabulary.`,
    "Use words from the Vocabulary block on the Input sheet, or leave the cell empty for <pad>.",
  ]);
  expect(block(fake, "Embedding")).toEqual(before);
  expect(pane.state.undo).toBeUndefined();

  // Capitals are accepted, as MATCH on the sheets accepts them.
  fake.setCell(sheet, address, "B");
  fake.setCell(target.sheet, target.address, "a");
  await pane.train(trainFields({ steps: "1" }));
  expect(pane.state.status.tone).toBe("ok");
});

test("a new pane picks up a workbook built earlier and trains it from its hidden settings", async () => {
  const { fake } = await built({ preset: "encoder-decoder", task: "translate", dModel: "8", heads: "2", dK: "4" });
  const again = new Controller(new ExcelHost(fake.run, fake.requirements));
  await again.start();
  expect(again.state.status.text).toMatch(/has an Attention Lab model \(preset encoder-decoder\)/);
  expect(again.state.model?.config).toMatchObject({ dModel: 8, heads: 2, dK: 4, kind: "encoder-decoder" });
  expect(again.state.tour.steps.map((s) => s.title)).toContain("Cross-attention");
  await again.train(trainFields({ steps: "3", lr: "0.005" }));
  expect(again.state.status.text).toMatch(/^Trained 3 steps/);
});

test("the tour selects each block in the workbook, forwards and back", async () => {
  const { fake, pane } = await built();
  await pane.tourBack();
  expect(fake.selection).toBeUndefined();
  const selected: string[] = [];
  for (let i = 0; i < pane.state.tour.steps.length; i++) {
    await pane.tourNext();
    expect(pane.state.tour.index).toBe(i);
    selected.push(`${fake.selection!.sheet.name}!${fake.selection!.address}`);
  }
  await pane.tourNext();
  expect(pane.state.tour.index).toBe(pane.state.tour.steps.length - 1);
  expect(selected).toEqual(pane.state.tour.steps.map((s) => fake.nameRef(s.key)!.replace(/\$/g, "")));
  await pane.tourBack();
  expect(pane.state.tour.index).toBe(pane.state.tour.steps.length - 2);
  expect(pane.state.tour.steps.every((s) => s.text.length > 40)).toBe(true);
});

test("the pane's code never hands text to the HTML parser", () => {
  const dir = path.join(__dirname, "../src/taskpane");
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
    expect(readFileSync(path.join(dir, file), "utf8")).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|DOMParser/);
  }
});

test("a write refused mid-run ends the run with the store's error, and undo and the step count follow what was written", async () => {
  const fake = new FakeExcel();
  /** The third write of the weights fails, as the store does when it finds a user's edit. */
  class RefusingHost extends ExcelHost {
    override store(config: Parameters<ExcelHost["store"]>[0]): ReturnType<ExcelHost["store"]> {
      const inner = super.store(config);
      let writes = 0;
      return {
        read: () => inner.read(),
        write: async (params) => {
          writes += 1;
          if (writes === 3) throw new Error("you edited a weight during the run");
          await inner.write(params);
        },
      };
    }
  }
  const pane = new Controller(new RefusingHost(fake.run, fake.requirements), { writeEvery: 5 });
  await pane.start();
  await pane.build(buildFields());
  await pane.train(trainFields({ steps: "20" }));
  expect(pane.state.status.text).toMatch(/you edited a weight during the run/);
  // Writes after steps 5 and 10 went in; the one after step 15 did not.
  expect(pane.state.undo).toBe("Undo brings back the weights from before the last run of 10 steps (step 0).");
});
