/**
 * "Use selection" (issue 11, section 5): the user's own cells as the
 * sentence or the embedding, through the controller and ExcelHost on the
 * fake. The user's sheet is left exactly as it was; the Overview's Tokens
 * cells refer to the user's cells, so editing them drives the model
 * (evaluated in HyperFormula over the fake's cells); bad selections say what
 * was expected and what came in.
 */
import { initParams } from "../src/model/config";
import { liveRun } from "../src/model/generate";
import { toRows } from "../src/model/matrix";
import { Vocab } from "../src/model/vocab";
import { Controller } from "../src/taskpane/controller";
import type { BuildFields } from "../src/taskpane/forms";
import { ExcelHost } from "../src/taskpane/host";
import { FakeEngine } from "./support/fake-engine";
import { FakeExcel, parseAddress, type SheetModel } from "./support/fake-excel";

const USER = "Bob's demo";
const SENTENCE = ["The", "cat", "sat", "on", "the", "mat"];
const fields = (over: Partial<BuildFields> = {}): BuildFields => ({
  preset: "seed",
  task: "copy",
  sentence: "",
  dModel: "3",
  heads: "4",
  dK: "3",
  seed: "1",
  style: "cells",
  ...over,
});

/** The user's workbook: a title, the sentence in B2:G2 with a number format and a note, a column width and a name of theirs. */
function usersWorkbook(sheet = USER): FakeExcel {
  const fake = new FakeExcel();
  const cells: Record<string, string | number> = { A1: "My sentence", A2: "Tokens:" };
  SENTENCE.forEach((w, j) => (cells[`${"BCDEFG"[j]}2`] = w));
  fake.addSheet(sheet, cells);
  const s = fake.sheetOrThrow(sheet);
  s.cells.get("1,1")!.numberFormat = "@";
  s.cells.get("1,1")!.fill = "#FFFF00";
  s.notes.set("B2", "my first word");
  s.columnWidths.set(0, 80);
  fake.addName("MySentence", sheet, "B2:G2");
  return fake;
}

/** Everything of a sheet a build could change, as plain data. */
function snapshot(s: SheetModel): unknown {
  return structuredClone({
    name: s.name,
    visibility: s.visibility,
    cells: [...s.cells].sort(),
    widths: [...s.columnWidths],
    notes: [...s.notes],
    formats: s.conditionalFormats,
    frozen: s.frozen,
    charts: s.charts.length,
  });
}

function paneOn(fake: FakeExcel): Controller {
  return new Controller(new ExcelHost(fake.run, fake.requirements));
}

/** The cells of a named block: formulas with "=", else values. */
function contents(fake: FakeExcel, name: string): unknown[] {
  const { sheet, rect } = parseAddress(fake.nameRef(name)!);
  const s = fake.sheetOrThrow(sheet!);
  return Array.from({ length: rect.cols }, (_, j) => {
    const c = s.cells.get(`${rect.top},${rect.left + j}`);
    return c?.formula !== undefined ? `=${c.formula}` : (c?.value ?? null);
  });
}

/** A named block evaluated in HyperFormula over the fake's cells. */
function evaluated(fake: FakeExcel, name: string): unknown[][] {
  const { sheet, rect } = parseAddress(fake.nameRef(name)!);
  return new FakeEngine(fake).values(sheet!, rect.top, rect.left, rect.rows, rect.cols);
}

async function builtFromSelection(fake: FakeExcel, address = "B2:G2", over: Partial<BuildFields> = {}): Promise<Controller> {
  const pane = paneOn(fake);
  await pane.start();
  await fake.userSelects(fake.sheets[0].name, address);
  await pane.useSelection("sentence");
  expect(pane.state.status.tone).toBe("ok");
  await pane.build(fields(over));
  expect([pane.state.status.tone, pane.state.details]).toEqual(["ok", expect.any(Array)]);
  return pane;
}

describe("the sentence from the user's cells", () => {
  test("the user's sheet is left exactly as it was: every cell, format, note, width and name", async () => {
    const fake = usersWorkbook();
    const before = snapshot(fake.sheetOrThrow(USER));
    await builtFromSelection(fake);
    expect(snapshot(fake.sheetOrThrow(USER))).toEqual(before);
    expect(fake.nameRef("MySentence")).toBe("'Bob''s demo'!$B$2:$G$2");
    // The add-in wrote its sheets and nothing in the user's.
    expect(fake.sheets.map((s) => s.name)).toContain("Overview");
  });

  test("the Overview's Tokens cells refer to the user's cells, the sheet name quoted with its quote doubled", async () => {
    const fake = usersWorkbook();
    await builtFromSelection(fake);
    const ref = (col: string): string => `=IF('Bob''s demo'!$${col}$2="","",'Bob''s demo'!$${col}$2)`;
    // The seed preset reads 9 tokens: 6 refer to the user's cells, the rest are empty and may be typed in.
    expect(contents(fake, "Tokens")).toEqual([...[..."BCDEFG"].map(ref), null, null, null]);
  });

  test("words the task's data lacks are added to the vocabulary, lower-cased, and the pane names them", async () => {
    const fake = usersWorkbook();
    const pane = await builtFromSelection(fake);
    // The copy task's symbols are a … i; "the", "cat", "sat", "on" and "mat" are new, "the" once.
    expect(pane.state.model!.vocab.slice(-5)).toEqual(["the", "cat", "sat", "on", "mat"]);
    expect(pane.state.model!.vocab).toHaveLength(12 + 5);
    expect(pane.state.details.join(" ")).toContain(
      '5 words of your sentence are not in the task\'s data ("the", "cat", "sat", "on", "mat")',
    );
    expect(pane.state.details.join(" ")).toContain("'Bob''s demo'!B2:G2");
  });

  test("editing the user's sentence drives the model: the sheet's formulas recompute what the model computes", async () => {
    const fake = usersWorkbook();
    const pane = await builtFromSelection(fake);
    const { config, vocab } = pane.state.model!;
    const words = new Vocab(vocab.slice(3));
    const params = initParams(config, 1);
    // A word of the task (a), a capital letter, and a cleared last cell (<pad>).
    fake.setCell(USER, "C2", "a");
    fake.setCell(USER, "D2", "MAT");
    fake.setCell(USER, "G2", "");
    const sentence = ["the", "a", "mat", "on", "the"];
    const want = liveRun(params, config, words, sentence);
    const x = evaluated(fake, "X");
    toRows(want.result.streams.source!.X).forEach((row, i) => row.forEach((v, j) => expect(x[i][j]).toBeCloseTo(v, 12)));
    const predicted = evaluated(fake, "Predicted")[0];
    expect(predicted).toEqual(want.chosen.map((id) => words.word(id)));
  });

  test("a user's sheet named like one of ours keeps its references when our sheet moves to a free name", async () => {
    const fake = usersWorkbook("Input");
    await builtFromSelection(fake);
    expect(fake.sheets.map((s) => s.name)).toContain("Input (2)");
    expect(contents(fake, "Tokens")[0]).toBe(`=IF('Input'!$B$2="","",'Input'!$B$2)`);
    expect(evaluated(fake, "X")[0][0]).toEqual(expect.any(Number));
  });

  test("a column of words works as a row does", async () => {
    const fake = new FakeExcel();
    fake.addSheet("Sheet1", { C3: "cat", C4: "sat" });
    const pane = paneOn(fake);
    await pane.start();
    await fake.userSelects("Sheet1", "C3:C6");
    await pane.useSelection("sentence");
    expect(pane.state.status.text).toBe(
      "Took 2 words from Sheet1!C3:C6 as the sentence. The 2 empty cells after the last word are left out. " +
        "Press Build: the Overview's Tokens cells will refer to your cells, and your sheet stays as it is.",
    );
    await pane.build(fields());
    expect(contents(fake, "Tokens").slice(0, 3)).toEqual([
      `=IF('Sheet1'!$C$3="","",'Sheet1'!$C$3)`,
      `=IF('Sheet1'!$C$4="","",'Sheet1'!$C$4)`,
      null,
    ]);
  });

  test("a decoder-only model's prompt cells refer to the user's cells after <s>", async () => {
    const fake = new FakeExcel();
    fake.addSheet("Story", { A1: "the", B1: "dog" });
    await builtFromSelection(fake, "A1:B1", { preset: "gpt", task: "stories", dModel: "32", heads: "2", dK: "16" });
    const tokens = contents(fake, "Tokens");
    expect(tokens.slice(0, 3)).toEqual(['="<s>"', `=IF('Story'!$A$1="","",'Story'!$A$1)`, `=IF('Story'!$B$1="","",'Story'!$B$1)`]);
    expect(evaluated(fake, "Tokens")[0].slice(0, 3)).toEqual(["<s>", "the", "dog"]);
  });
});

describe("bad selections say what was expected and what came in", () => {
  async function picked(cells: Record<string, string | number | boolean>, address: string): Promise<Controller> {
    const fake = new FakeExcel();
    fake.addSheet("Sheet1", cells);
    const pane = paneOn(fake);
    await pane.start();
    await fake.userSelects("Sheet1", address);
    await pane.useSelection("sentence");
    return pane;
  }
  const problems = (pane: Controller): string => [pane.state.status.text, ...pane.state.details].join(" ");

  test.each([
    [
      { A1: "a", B1: "b", A2: "c", B2: "d" },
      "A1:B2",
      "Expected one row or one column of words, one word a cell, but Sheet1!A1:B2 is 2 rows × 2 columns.",
    ],
    [
      { A1: "a", C1: "b" },
      "A1:C1",
      "Expected one word in every cell up to the last one, but Sheet1!B1 is empty (the sentence goes on after it, in Sheet1!C1).",
    ],
    [{ B1: "a" }, "A1:B1", "Expected the sentence to start in the first selected cell, but Sheet1!A1 is empty."],
    [{ A1: "a", B1: 4 }, "A1:B1", "Expected a word in Sheet1!B1, but it holds the number 4."],
    [{ A1: true }, "A1", "Expected a word in Sheet1!A1, but it holds TRUE."],
    [{ A1: "#N/A" }, "A1", "Expected a word in Sheet1!A1, but it shows the error #N/A."],
    [{ A1: "the cat" }, "A1", 'Expected one word in Sheet1!A1, but it holds "the cat": put each word in a cell of its own.'],
    [{ A1: "<s>" }, "A1", 'Sheet1!A1 holds "<s>", a marker the model adds itself (<pad>, <s>, </s>): select words only.'],
    [{}, "A1:C1", "Expected words, one a cell, but Sheet1!A1:C1 is empty."],
  ])("%j selected as %s", async (cells, address, message) => {
    const pane = await picked(cells, address);
    expect(pane.state.status.tone).toBe("error");
    expect(problems(pane)).toContain(message);
    expect(pane.state.linked.sentence).toBeUndefined();
  });

  test("several areas (Ctrl+click): getSelectedRange throws, and the pane asks for one block", async () => {
    const pane = await picked({ A1: "a", C1: "b" }, "A1,C1");
    expect(problems(pane)).toContain("Select one block of cells: the selection has several areas");
  });

  test("more words than the model reads: Build says so at the Sentence field", async () => {
    const words = "abcdefghij".split("");
    const cells = Object.fromEntries(words.map((w, j) => [`${String.fromCharCode(65 + j)}1`, w]));
    const pane = await picked(cells, "A1:J1");
    expect(pane.state.status.tone).toBe("ok");
    await pane.build(fields());
    expect(pane.state.errors.sentence).toBe("The selection has 10 words, but this model reads at most 9: select fewer words.");
  });

  test("a selection on a sheet the add-in wrote is refused", async () => {
    const fake = usersWorkbook();
    const pane = await builtFromSelection(fake);
    await fake.userSelects("Overview", "A1:C1");
    await pane.useSelection("sentence");
    expect(problems(pane)).toContain("The selection is on the Overview sheet, which Attention Lab wrote");
  });

  test("cells edited into a bad sentence after picking: Build reads them again and says what is wrong", async () => {
    const fake = usersWorkbook();
    const pane = paneOn(fake);
    await pane.start();
    await fake.userSelects(USER, "B2:G2");
    await pane.useSelection("sentence");
    fake.setCell(USER, "D2", 7);
    await pane.build(fields());
    expect(problems(pane)).toContain("Expected a word in 'Bob''s demo'!D2, but it holds the number 7.");
    expect(fake.sheet("Overview")).toBeUndefined();
  });
});

describe("the embedding from the user's cells", () => {
  /** The seed preset with the user's 6-word sentence has 12 + 5 words; d_model 3. */
  function withNumbers(rows: number, cols: number): { fake: FakeExcel; numbers: number[][] } {
    const fake = usersWorkbook();
    const numbers = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i - 2 * j) / 8));
    numbers.forEach((row, i) => row.forEach((v, j) => fake.setCell(USER, `${String.fromCharCode(66 + j)}${i + 5}`, v)));
    return { fake, numbers };
  }

  test("is copied into the Input sheet; training changes the copy and never the user's cells", async () => {
    const { fake, numbers } = withNumbers(17, 3);
    const pane = paneOn(fake);
    await pane.start();
    await fake.userSelects(USER, "B2:G2");
    await pane.useSelection("sentence");
    await fake.userSelects(USER, "B5:D21");
    await pane.useSelection("embedding", fields());
    expect(pane.state.status.text).toContain(
      "Took 17 × 3 numbers from 'Bob''s demo'!B5:D21 as the embedding. With the fields as they are now, Build expects 17 × 3.",
    );
    const before = snapshot(fake.sheetOrThrow(USER));
    await pane.build(fields());
    expect(pane.state.status.tone).toBe("ok");
    const { sheet, rect } = parseAddress(fake.nameRef("Embedding")!);
    expect(sheet).toBe("Input");
    const copy = () =>
      Array.from({ length: rect.rows }, (_, i) =>
        Array.from({ length: rect.cols }, (_, j) => fake.sheetOrThrow("Input").cells.get(`${rect.top + i},${rect.left + j}`)?.value),
      );
    expect(copy()).toEqual(numbers);
    await pane.train({ optimizer: "adam", lr: "0.1", steps: "2" });
    expect(pane.state.status.tone).toBe("ok");
    expect(copy()).not.toEqual(numbers);
    expect(snapshot(fake.sheetOrThrow(USER))).toEqual(before);
  });

  test("of the wrong shape: Build says what the model needs and what came in", async () => {
    const { fake } = withNumbers(12, 3);
    const pane = paneOn(fake);
    await pane.start();
    await fake.userSelects(USER, "B2:G2");
    await pane.useSelection("sentence");
    await fake.userSelects(USER, "B5:D16");
    await pane.useSelection("embedding", fields());
    expect(pane.state.status.text).toContain("Build expects 17 × 3.");
    await pane.build(fields());
    expect(pane.state.status.tone).toBe("error");
    expect(pane.state.details).toEqual([
      "The embedding from 'Bob''s demo'!B5:D16 is 12 rows × 3 columns, but this model needs 17 × 3: one row per vocabulary word " +
        "(17, specials and your sentence's new words included) and d_model (3) columns.",
    ]);
  });

  test("with a cell that is not a number", async () => {
    const { fake } = withNumbers(17, 3);
    fake.setCell(USER, "C7", "x");
    const pane = paneOn(fake);
    await pane.start();
    await fake.userSelects(USER, "B5:D21");
    await pane.useSelection("embedding");
    expect(pane.state.details).toEqual(["Expected a number in every cell of the embedding, but 'Bob''s demo'!C7 holds \"x\"."]);
  });
});
