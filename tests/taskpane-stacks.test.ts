/**
 * The task pane's Layers field and the gpt preset, over the real Excel
 * adapter and the recording fake workbook: the field's checks, a two-layer
 * encoder-decoder's sheets and names (DESIGN.md, "Stacks, decoder-only
 * models and sampling"), and a gpt workbook built, trained, undone and
 * reset from the pane.
 */
import { Controller } from "../src/taskpane/controller";
import type { BuildFields, TrainFields } from "../src/taskpane/forms";
import { ExcelHost } from "../src/taskpane/host";
import { FakeExcel, parseAddress } from "./support/fake-excel";

const small = { dModel: "8", heads: "2", dK: "4", seed: "3", style: "cells", sentence: "" };
const gptFields = (over: Partial<BuildFields> = {}): BuildFields => ({ preset: "gpt", task: "stories", layers: "1", ...small, ...over });
const trainFields: TrainFields = { optimizer: "adam", lr: "0.005", steps: "3" };

function pane(): { fake: FakeExcel; pane: Controller } {
  const fake = new FakeExcel();
  return { fake, pane: new Controller(new ExcelHost(fake.run, fake.requirements)) };
}

/** Every cell of a named block, read from the fake: its value, or "=…" for a formula ("" for an empty cell). */
function block(fake: FakeExcel, name: string): unknown[][] {
  const ref = fake.nameRef(name);
  if (!ref || ref === "#REF!") throw new Error(`no range named ${name}`);
  const { sheet, rect } = parseAddress(ref);
  return Array.from({ length: rect.rows }, (_, i) =>
    Array.from({ length: rect.cols }, (_, j) => {
      const c = fake.sheetOrThrow(sheet!).cells.get(`${rect.top + i},${rect.left + j}`);
      return c?.formula !== undefined ? `=${c.formula}` : (c?.value ?? "");
    }),
  );
}

/** Rows × columns of a named block, from the address the fake holds. */
function size(fake: FakeExcel, name: string): [number, number] {
  const { rect } = parseAddress(fake.nameRef(name)!);
  return [rect.rows, rect.cols];
}

test("the Layers field takes a whole number from 1 to 6 and says what came in otherwise", async () => {
  const { fake, pane: p } = pane();
  await p.start();
  const cases: [string, string][] = [
    ["0", 'Layers should be a whole number from 1 to 6, not "0".'],
    ["7", 'Layers should be a whole number from 1 to 6, not "7".'],
    ["2.5", 'Layers should be a whole number from 1 to 6, not "2.5".'],
    ["two", 'Layers should be a whole number from 1 to 6, not "two".'],
    ["  ", "Layers should be a whole number from 1 to 6."],
  ];
  for (const [typed, message] of cases) {
    await p.build({ preset: "encoder", task: "reverse", layers: typed, ...small });
    expect(p.state.errors).toEqual({ layers: message });
    expect(p.state.status).toEqual({ text: "Check the fields marked below.", tone: "error" });
  }
  expect(fake.sheets).toHaveLength(0);
});

test("a two-layer encoder-decoder gets the sheets Encoder 2 and Decoder 2 with the layer-2 names, and trains", async () => {
  const { fake, pane: p } = pane();
  await p.start();
  await p.build({ preset: "encoder-decoder", task: "translate", layers: " 2 ", ...small });
  expect(p.state.status.tone).toBe("ok");
  expect(p.state.model?.config).toMatchObject({ kind: "encoder-decoder", layers: 2 });
  const sheets = fake.sheets.map((s) => s.name);
  expect(sheets).toEqual(expect.arrayContaining(["Encoder", "Encoder 2", "Decoder", "Decoder 2"]));
  expect(sheets).not.toContain("Encoder 3");
  expect(fake.nameRef("Enc2_H1_Wq")).toMatch(/^'Encoder 2'!/);
  expect(fake.nameRef("Enc2_Out")).toMatch(/^'Encoder 2'!/);
  expect(fake.nameRef("Dec2_Self_H1_Wq")).toMatch(/^'Decoder 2'!/);
  expect(fake.nameRef("Dec2_Cross_Wo")).toMatch(/^'Decoder 2'!/);
  expect(fake.nameRef("Dec2_LN3_Beta")).toMatch(/^'Decoder 2'!/);
  // DESIGN.md: Wq_h is d_model × d_k, Wo is h·d_k × d_model.
  expect(size(fake, "Enc2_H1_Wq")).toEqual([8, 4]);
  expect(size(fake, "Dec2_Cross_Wo")).toEqual([8, 8]);

  const before = { enc2: block(fake, "Enc2_H1_Wq"), dec2: block(fake, "Dec2_Cross_Wo") };
  await p.train(trainFields);
  expect(p.state.status.text).toMatch(/^Trained 3 steps/);
  expect(block(fake, "Enc2_H1_Wq")).not.toEqual(before.enc2);
  expect(block(fake, "Dec2_Cross_Wo")).not.toEqual(before.dec2);
});

test("gpt: the preset and the stories task go together; the prompt is checked against the Tokens row's room", async () => {
  const { fake, pane: p } = pane();
  await p.start();
  await p.build(gptFields({ task: "reverse" }));
  expect(p.state.errors.task).toMatch(/^The gpt preset cannot learn the reverse task/);
  await p.build({ preset: "encoder", task: "stories", ...small });
  expect(p.state.errors.task).toMatch(/needs the gpt preset/);
  expect(fake.sheets).toHaveLength(0);

  // An empty field: the first two words of the first story (data/stories.json: "the cat sleeps on the mat").
  await p.build(gptFields());
  expect(p.state.status.tone).toBe("ok");
  const tokens = block(fake, "Tokens")[0];
  expect(tokens.slice(0, 3)).toEqual(['="<s>"', "the", "cat"]);
  // After the prompt, each Tokens cell takes the token chosen after the cell before it.
  expect(tokens.slice(3).every((t) => typeof t === "string" && t.startsWith("="))).toBe(true);
  expect(block(fake, "Prompt_Length")).toEqual([[2]]);
  expect(fake.nameRef("Data_Source")).toBeDefined();
  expect(fake.nameRef("Data_Target")).toBeUndefined();

  // The Tokens row is <s> then the room for the prompt.
  const room = tokens.length - 1;
  const words = "the cat sleeps on the mat the cat sleeps on the mat".split(" ");
  await p.build(gptFields({ sentence: words.slice(0, room + 1).join(" ") }));
  expect(p.state.errors).toEqual({
    sentence: `The prompt has ${room + 1} words but this model takes at most ${room} (its Tokens row is <s> and ${room} more).`,
  });
  await p.build(gptFields({ sentence: "my dog" }));
  expect(block(fake, "Tokens")[0].slice(0, 3)).toEqual(['="<s>"', "my", "dog"]);
  expect(block(fake, "Prompt_Length")).toEqual([[2]]);
});

test("gpt from the pane: build two layers, train 3 steps with the log, undo, reset and undo the reset", async () => {
  const { fake, pane: p } = pane();
  await p.start();
  await p.build(gptFields({ layers: "2" }));
  expect(fake.sheets.map((s) => s.name)).toEqual(expect.arrayContaining(["Decoder", "Decoder 2"]));
  expect(fake.nameRef("Dec2_H1_Wq")).toMatch(/^'Decoder 2'!/);
  const start = { dec: block(fake, "Dec_H1_Wq"), dec2: block(fake, "Dec2_FF_W1"), out: block(fake, "Out_W") };

  // The tour reaches every step's block, layer 2's output among them.
  const selected: string[] = [];
  for (let i = 0; i < p.state.tour.steps.length; i++) {
    await p.tourNext();
    selected.push(`${fake.selection!.sheet.name}!${fake.selection!.address}`);
  }
  expect(p.state.status.tone).toBe("ok");
  /** A name's sheet, unquoted, and its address without $, as the fake records a selection. */
  const at = (name: string) => {
    const ref = fake.nameRef(name)!;
    return `${parseAddress(ref).sheet}!${ref.replace(/^.*!/, "").replace(/\$/g, "")}`;
  };
  expect(selected).toEqual(p.state.tour.steps.map((s) => at(s.key)));
  expect(selected).toContain(at("Dec2_Out"));

  await p.train(trainFields);
  expect(p.state.status).toEqual({
    text: expect.stringMatching(/^Trained 3 steps in [\d.]+ s\. Loss [\d.]+ → [\d.]+, accuracy [\d.]+%\.$/),
    tone: "ok",
  });
  expect(block(fake, "Train_Log").map((r) => r[0])).toEqual([1, 2, 3]);
  const trained = { dec: block(fake, "Dec_H1_Wq"), dec2: block(fake, "Dec2_FF_W1"), out: block(fake, "Out_W") };
  expect(trained.dec).not.toEqual(start.dec);
  expect(trained.dec2).not.toEqual(start.dec2);
  expect(fake.nameRef("Grad_Dec2_FF_W1")).toBeDefined();

  await p.undo();
  expect(p.state.status.text).toMatch(/^Restored the weights from before the last run \(step 0\)/);
  expect({ dec: block(fake, "Dec_H1_Wq"), dec2: block(fake, "Dec2_FF_W1"), out: block(fake, "Out_W") }).toEqual(start);

  await p.train(trainFields);
  const again = block(fake, "Dec2_FF_W1");
  p.requestReset();
  await p.confirmReset("9");
  expect(p.state.status.text).toMatch(/^Reset every weight from seed 9/);
  expect(block(fake, "Dec2_FF_W1")).not.toEqual(again);
  await p.undo();
  expect(block(fake, "Dec2_FF_W1")).toEqual(again);
});
