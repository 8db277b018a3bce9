/**
 * The exported .xlsx, recalculated by LibreOffice headless, equals src/model
 * forward: every block, every label, no error anywhere, the names intact.
 *
 * LibreOffice is an independent engine; it must run (this test fails, never
 * skips, without it). To prove it really recalculated rather than echoing
 * the cached results the writer stores, each workbook is also written with
 * deliberately wrong cached results, and LibreOffice must still give the
 * model's values. Typed inputs (wildcard characters in Tokens, switch values,
 * an empty sentence) are recalculated by LibreOffice too, and so is a trained
 * gpt workbook given new prompts, temperatures and dice: LibreOffice writes
 * the model's continuation.
 */
import fs from "fs";
import os from "os";
import path from "path";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { buildTrained } from "../src/cli/workbook";
import { parseWorkbookArgs, type WorkbookOptions } from "../src/cli/workbook-args";
import { writePlanXlsx } from "../src/cli/xlsx";
import * as lib from "../src/functions/library";
import { initParams, paramSpecs, type ModelConfig, type Params } from "../src/model/config";
import { generate, rollDice } from "../src/model/generate";
import { fromRows } from "../src/model/matrix";
import { configFor, getPreset, type PresetName } from "../src/model/presets";
import { PROMPT_LENGTH, makeTask } from "../src/model/tasks";
import { PAD_ID, forward } from "../src/model/transformer";
import { BOS, UnknownTokenError, Vocab } from "../src/model/vocab";
import { buildWorkbookPlan } from "../src/sheet/build";
import { TokenIndex } from "../src/taskpane/data";
import type { PlanBlock, WorkbookPlan } from "../src/sheet/plan";
import { TRAIN_LOG_NAME } from "../src/sheet/train-log";
import { GPT2_NAMES, GPT_NAMES, LAYER2_NAMES } from "./support/public-names";
import {
  LibreOfficeProfile,
  RecalculatedWorkbook,
  TOLERANCE,
  compare,
  libreOfficeVersion,
  same,
  withStaleCache,
  type CellResult,
} from "./support/libreoffice";

function options(argv: string[]): WorkbookOptions {
  const o = parseWorkbookArgs(argv);
  if ("error" in o) throw new Error(o.error);
  return o;
}

const translate = makeTask("translate");
const fullSentence = translate.train.find((e) => e.source.length === translate.maxSourceLen)!.source.join(" ");
const shortSentence = [...translate.train].sort((a, b) => a.source.length - b.source.length)[0].source.join(" ");

/** docs/architecture.md's names of each kind of model: a case's file must hold its own kind's and none of another's. */
const ENCODER_NAMES = [
  "Tokens",
  "Embedding",
  "X",
  "Enc_H1_Wq",
  "Enc_H1_Attn",
  "Enc_Wo",
  "Enc_LN1_Gamma",
  "Enc_FF_W1",
  "Enc_Out",
  "Out_W",
  "Logits",
  "Probs",
];
const DATA_NAMES = ["Data_Source", "Data_Target"];
const DECODER_NAMES = [
  "Dec_Tokens",
  "Dec_X",
  "Dec_Self_H1_Wq",
  "Dec_Self_Wo",
  "Dec_Cross_H1_Attn",
  "Dec_Cross_Wo",
  "Dec_LN3_Beta",
  "Dec_Out",
  "Translation",
];
/** Names only an encoder–decoder has, and only a decoder-only model has. */
const ENCODER_DECODER_ONLY = ["Enc_Out", "Data_Target", "Dec_Tokens", "Dec_Self_H1_Wq", "Dec_Cross_Wo", "Translation"];
const GPT_ONLY = ["Prompt_Length", "Temperature", "Sampling_On", "Dice", "Generated", "Dec_H1_Wq", "Dec_Wo"];

/** Small training runs keep the test fast; the weights still move away from their initial values. */
const CASES: { label: string; argv: string[]; present: string[]; absent: string[] }[] = [
  {
    label: "seed",
    argv: ["--preset", "seed", "--train-steps", "20"],
    present: [...ENCODER_NAMES, ...DATA_NAMES, "Softmax_On", "Scaling_On"],
    absent: [...DECODER_NAMES, ...GPT_ONLY, "Enc2_Out"],
  },
  {
    label: "encoder",
    argv: ["--preset", "encoder", "--train-steps", "20"],
    present: [...ENCODER_NAMES, ...DATA_NAMES],
    absent: [...DECODER_NAMES, ...GPT_ONLY, "Enc2_Out", "Softmax_On"],
  },
  {
    label: "encoder-decoder",
    argv: ["--preset", "encoder-decoder", "--train-steps", "5", "--sentence", fullSentence],
    present: [...ENCODER_NAMES, ...DATA_NAMES, ...DECODER_NAMES],
    absent: [...GPT_ONLY, ...LAYER2_NAMES],
  },
  {
    label: "encoder-decoder, padded sentence",
    argv: ["--preset", "encoder-decoder", "--train-steps", "0", "--sentence", shortSentence],
    present: [...ENCODER_NAMES, ...DATA_NAMES, ...DECODER_NAMES],
    absent: [...GPT_ONLY, ...LAYER2_NAMES],
  },
  {
    label: "2-layer encoder-decoder",
    argv: ["--preset", "encoder-decoder", "--layers", "2", "--train-steps", "5", "--sentence", fullSentence],
    present: [...ENCODER_NAMES, ...DATA_NAMES, ...DECODER_NAMES, ...LAYER2_NAMES],
    absent: [...GPT_ONLY, "Enc3_Out", "Dec3_Out"],
  },
  { label: "gpt", argv: ["--preset", "gpt", "--train-steps", "20"], present: GPT_NAMES, absent: [...ENCODER_DECODER_ONLY, ...GPT2_NAMES] },
  {
    label: "2-layer gpt",
    argv: ["--preset", "gpt", "--layers", "2", "--train-steps", "5"],
    present: [...GPT_NAMES, ...GPT2_NAMES],
    absent: [...ENCODER_DECODER_ONLY, "Enc2_Out", "Dec3_Out"],
  },
];

interface Case {
  label: string;
  plan: WorkbookPlan;
  written: string;
  stale: string;
  recalculated: RecalculatedWorkbook;
  recalculatedStale: RecalculatedWorkbook;
}

function blockOf(plan: WorkbookPlan, key: string): PlanBlock {
  for (const s of plan.sheets) for (const b of s.blocks) if (b.key === key) return b;
  throw new Error(`the plan has no block ${key}`);
}

/** Errors LibreOffice must report, with harmless cached results: proof that the error check is not blind. */
async function writeBroken(file: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Broken");
  const formulas = ["1/0", "NA()", "B3+1", "SQRT(-1)", "NOSUCHFUNCTION(1)"];
  formulas.forEach((formula, i) => {
    ws.getCell(i + 1, 1).value = { formula, result: i };
  });
  ws.getCell("B3").value = { formula: "A3+1", result: 0 };
  await wb.xlsx.writeFile(file);
}

const unquote = (range: string) => range.replace(/^'((?:[^']|'')*)'!/, (_, s: string) => `${s.replace(/''/g, "'")}!`);

describe("the exported workbook, recalculated by LibreOffice", () => {
  let profile: LibreOfficeProfile;
  let dir: string;
  const cases: Case[] = [];
  let broken: RecalculatedWorkbook;

  beforeAll(async () => {
    libreOfficeVersion(); // fails with how to install LibreOffice when it is missing
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "attention-lab-xlsx-"));
    profile = new LibreOfficeProfile();
    const inputs: { label: string; plan: WorkbookPlan; written: string; stale: string }[] = [];
    for (const [k, c] of CASES.entries()) {
      const { plan } = await buildTrained(options(c.argv));
      const written = path.join(dir, `case${k}.xlsx`);
      const stale = path.join(dir, `case${k}-stale.xlsx`);
      await writePlanXlsx(plan, written);
      await writePlanXlsx(withStaleCache(plan), stale);
      inputs.push({ label: c.label, plan, written, stale });
    }
    const brokenFile = path.join(dir, "broken.xlsx");
    await writeBroken(brokenFile);
    // One LibreOffice start for every file.
    const outputs = profile.convert([...inputs.flatMap((c) => [c.written, c.stale]), brokenFile], path.join(dir, "recalculated"));
    broken = await RecalculatedWorkbook.read(outputs[outputs.length - 1]);
    for (const [k, c] of inputs.entries()) {
      cases.push({
        ...c,
        recalculated: await RecalculatedWorkbook.read(outputs[2 * k]),
        recalculatedStale: await RecalculatedWorkbook.read(outputs[2 * k + 1]),
      });
    }
  }, 600_000);

  afterAll(() => {
    profile?.dispose();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const byLabel = (label: string) => cases.find((c) => c.label === label)!;

  describe.each(CASES.map((c) => c.label))("%s", (label) => {
    test("every block, label and title equals the model's value (numbers within 1e-9 relative, texts exactly)", () => {
      const c = byLabel(label);
      const { mismatches, worst } = compare(c.plan, c.recalculated);
      expect(mismatches.slice(0, 10)).toEqual([]);
      expect(worst).toBeLessThanOrEqual(TOLERANCE);
    });

    test("every named block equals its model values", () => {
      const c = byLabel(label);
      for (const n of c.plan.names) {
        const b = blockOf(c.plan, n.name);
        const got = c.recalculated.values(b.sheet, b.top, b.left, b.rows, b.cols);
        const bad = b.values.flatMap((row, i) =>
          row.flatMap((v, j) => (same(got[i][j], v) ? [] : [`${n.name}[${i},${j}]: ${JSON.stringify(got[i][j])} ≠ ${JSON.stringify(v)}`])),
        );
        expect(bad.slice(0, 5)).toEqual([]);
      }
    });

    test("each Overview heat map equals, cell for cell and label for label, the head's attention weights it shows", () => {
      const c = byLabel(label);
      const maps = c.plan.sheets.find((s) => s.name === "Overview")!.blocks.filter((b) => b.heatmap === "attention");
      const heads = c.plan.names.filter((n) => /_H\d+_Attn$/.test(n.name)).map((n) => blockOf(c.plan, n.name));
      expect(maps).toHaveLength(heads.length);
      // The data with its column labels above and its row labels to the left.
      const whole = (b: PlanBlock) => c.recalculated.values(b.sheet, b.top - 1, b.left - 1, b.rows + 1, b.cols + 1);
      heads.forEach((head, k) => expect([head.key, whole(maps[k])]).toEqual([head.key, whole(head)]));
    });

    test("no cell anywhere holds an error (#N/A, #VALUE!, Err:522 …)", () => {
      const c = byLabel(label);
      expect(c.recalculated.errors()).toEqual([]);
      expect(c.recalculatedStale.errors()).toEqual([]);
    });

    test("every defined name survives with its range", () => {
      const c = byLabel(label);
      const names = c.recalculated.names();
      for (const n of c.plan.names) {
        expect(names.get(n.name)?.map(unquote)).toEqual([`${n.sheet}!${n.range}`]);
      }
    });

    test("the file's names are the plan's: docs/architecture.md's names of this kind of model, none of another kind's", () => {
      const c = byLabel(label);
      const { present, absent } = CASES.find((k) => k.label === label)!;
      const names = [...c.recalculated.names().keys()];
      expect([...names].sort()).toEqual(c.plan.names.map((n) => n.name).sort());
      expect(present.filter((n) => !names.includes(n))).toEqual([]);
      expect(absent.filter((n) => names.includes(n))).toEqual([]);
    });

    test("LibreOffice recalculated: from deliberately wrong cached results it still reaches the model's values", async () => {
      const c = byLabel(label);
      // The stale file really holds wrong results (read without recalculating) …
      const stale = new ExcelJS.Workbook();
      await stale.xlsx.readFile(c.stale);
      const probs = blockOf(c.plan, "Probs");
      const cached = stale.getWorksheet("Output")!.getCell(probs.top + 1, probs.left + 1).value as ExcelJS.CellFormulaValue;
      expect(cached.result).toBeCloseTo((probs.values[0][0] as number) + 1000, 9);
      // … and LibreOffice's values are the model's all the same.
      const { mismatches, worst } = compare(c.plan, c.recalculatedStale);
      expect(mismatches.slice(0, 10)).toEqual([]);
      expect(worst).toBeLessThanOrEqual(TOLERANCE);
    });
  });

  test("the error check sees LibreOffice's errors: a circular reference (Err:522) is saved as #VALUE!", () => {
    expect(broken.errors()).toEqual([
      "Broken!A1: #DIV/0!",
      "Broken!A2: #N/A",
      "Broken!A3: #VALUE!",
      "Broken!B3: #VALUE!",
      "Broken!A4: #VALUE!",
      "Broken!A5: #NAME?",
    ]);
  });

  test("the padded sentence leaves empty token cells whose keys are masked out", () => {
    const c = byLabel("encoder-decoder, padded sentence");
    const tokens = blockOf(c.plan, "Tokens");
    const words = shortSentence.split(" ");
    expect(words.length).toBeLessThan(tokens.cols);
    const got = c.recalculated.values(tokens.sheet, tokens.top, tokens.left, 1, tokens.cols)[0];
    expect(got).toEqual([...words, ...new Array<null>(tokens.cols - words.length).fill(null)]);
    const visible = blockOf(c.plan, "Key_Visible");
    const seen = c.recalculated.values(visible.sheet, visible.top, visible.left, 1, visible.cols)[0];
    expect(seen).toEqual(words.map(() => 1).concat(new Array<number>(tokens.cols - words.length).fill(0)));
    const attn = blockOf(c.plan, "Enc_H1_Attn");
    const weights = c.recalculated.values("Encoder", attn.top, attn.left, attn.rows, attn.cols);
    for (const row of weights) expect(row.slice(words.length)).toEqual(new Array<number>(tokens.cols - words.length).fill(0));
  });

  test("the file opens on the Overview, and LibreOffice's copy still does", async () => {
    const c = byLabel("encoder");
    const opens = c.plan.sheets.findIndex((s) => s.name === "Overview");
    for (const file of [c.written, c.recalculated.file]) {
      const book = await (await JSZip.loadAsync(fs.readFileSync(file))).file("xl/workbook.xml")!.async("string");
      expect(/activeTab="(\d+)"/.exec(book)?.[1]).toBe(String(opens));
    }
  });

  test("the loss charts (the Training sheet's and the Overview's copy) are in the file, and LibreOffice reads them and writes them back", async () => {
    const c = byLabel("encoder");
    const chart = c.plan.sheets.find((s) => s.name === "Training")!.charts[0];
    const copy = c.plan.sheets.find((s) => s.name === "Overview")!.charts[0];
    expect([copy.categories, copy.series]).toEqual([chart.categories, chart.series]);
    const written = await JSZip.loadAsync(fs.readFileSync(c.written));
    for (const part of ["chart1", "chart2"]) {
      const chartXml = await written.file(`xl/charts/${part}.xml`)!.async("string");
      expect(chartXml).toContain("<c:lineChart>");
      expect(chartXml).toContain(`<c:f>${chart.series[0].values}</c:f>`);
      expect(await written.file("[Content_Types].xml")!.async("string")).toContain(`/xl/charts/${part}.xml`);
    }

    const converted = await JSZip.loadAsync(fs.readFileSync(c.recalculated.file));
    const charts = converted.file(/^xl\/charts\/chart\d+\.xml$/);
    expect(charts).toHaveLength(2);
    for (const part of charts) {
      const roundTripped = await part.async("string");
      expect(roundTripped).toMatch(/lineChart/);
      expect(unquote(/<c:f>([^<]*)<\/c:f>/.exec(roundTripped.replace(/<c:tx>.*?<\/c:tx>/gs, ""))?.[1] ?? "")).toBe(
        unquote(chart.categories),
      );
    }
  });
});

/** A plan of `preset` (for `vocab` when given, else the preset's task), its sentence the task's first unless given. */
function planFor(
  preset: PresetName,
  sentence?: string[],
  overrides: Partial<ModelConfig> = {},
  vocab?: Vocab,
  tune?: (p: Params, v: Vocab) => void,
): { plan: WorkbookPlan; config: ModelConfig; params: Params; vocab: Vocab } {
  const p = getPreset(preset);
  const task = makeTask(p.task, { seed: 1, ...p.taskOptions });
  const v = vocab ?? task.vocab;
  const config: ModelConfig = { ...configFor(p, task), vocabSize: v.size, ...overrides };
  const params = initParams(config, 5);
  tune?.(params, v);
  const examples = vocab ? [{ source: [v.tokens[3]], target: [v.tokens[3]] }] : task.train.slice(0, 10);
  const plan = buildWorkbookPlan({
    preset,
    description: p.description,
    config,
    vocab: v,
    params,
    sentence: sentence ?? task.train[0].source,
    examples,
    switches: preset === "seed",
  });
  return { plan, config, params, vocab: v };
}

/** A copy of `plan` with values typed into cells of block `key`, as a user would type them. */
function typed(
  plan: WorkbookPlan,
  key: string,
  entries: { i: number; j: number; value: string | number | boolean | null }[],
): WorkbookPlan {
  const copy: WorkbookPlan = structuredClone(plan);
  const b = blockOf(copy, key);
  for (const { i, j, value } of entries) {
    b.cells[i][j] = value;
    b.values[i][j] = value;
  }
  return copy;
}

const isNA = (v: CellResult): boolean => typeof v === "object" && v !== null && v.error === "#N/A";

describe("typed inputs in the exported workbook, recalculated by LibreOffice", () => {
  let profile: LibreOfficeProfile;
  let dir: string;
  const cases = new Map<string, { plan: WorkbookPlan; wb?: RecalculatedWorkbook }>();
  const recalculated = (name: string): RecalculatedWorkbook => cases.get(name)!.wb!;
  const valuesOf = (name: string, key: string): CellResult[][] => {
    const b = blockOf(cases.get(name)!.plan, key);
    return recalculated(name).values(b.sheet, b.top, b.left, b.rows, b.cols);
  };

  // A vocabulary in which each wildcard would find a word: "*" the first row (<pad>), "?" the one-letter "a", "c*" "café", "ca~t" "cat".
  const wild = planFor("encoder", ["cat"], { sourceLen: 8 }, new Vocab(["a", "café", "cat", "dog"]));
  const TOKENS = ["*", "?", "c*", "ca~t", "<s>", null, "Cat", "CAFÉ"];
  cases.set("wildcards", {
    plan: typed(
      wild.plan,
      "Tokens",
      TOKENS.map((value, j) => ({ i: 0, j, value })),
    ),
  });
  // "c*" wins every decoder position, so the decoder reads "c*" back as its input.
  const wildDecoder = planFor("encoder-decoder", ["café", "dog"], {}, new Vocab(["café", "c*", "dog"]), (p, v) => {
    p.Out_B.data[v.id("c*")] = 100;
  });
  cases.set("wildcard decoder", { plan: wildDecoder.plan });

  const seed = planFor("seed");
  const SWITCH_VALUES: { label: string; value: string | number | boolean | null; reads?: boolean; shown?: string }[] = [
    { label: "TRUE", value: true, reads: true },
    { label: "1", value: 1, reads: true },
    { label: "FALSE", value: false, reads: false },
    { label: "0", value: 0, reads: false },
    { label: 'the text "1"', value: "1", shown: '"1"' },
    { label: '"yes"', value: "yes", shown: '"yes"' },
    { label: "2", value: 2, shown: "2" },
    { label: "an empty cell", value: null, shown: "an empty cell" },
  ];
  const SWITCHES = [
    {
      key: "Softmax_On",
      check: "Softmax_Check",
      reader: "Enc_H1_Attn",
      config: (on: boolean): Partial<ModelConfig> => ({ normalization: on ? "softmax" : "none" }),
    },
    { key: "Scaling_On", check: "Scaling_Check", reader: "Enc_H1_Scores", config: (on: boolean): Partial<ModelConfig> => ({ scaled: on }) },
  ] as const;
  for (const sw of SWITCHES)
    for (const v of SWITCH_VALUES) cases.set(`${sw.key} ${v.label}`, { plan: typed(seed.plan, sw.key, [{ i: 0, j: 0, value: v.value }]) });

  const decoder = planFor("encoder-decoder");
  cases.set("empty", {
    plan: typed(
      decoder.plan,
      "Tokens",
      Array.from({ length: decoder.config.sourceLen }, (_, j) => ({ i: 0, j, value: null })),
    ),
  });

  beforeAll(async () => {
    libreOfficeVersion();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "attention-lab-typed-"));
    profile = new LibreOfficeProfile();
    const names = [...cases.keys()];
    const written = names.map((_, k) => path.join(dir, `typed${k}.xlsx`));
    for (const [k, name] of names.entries()) await writePlanXlsx(withStaleCache(cases.get(name)!.plan), written[k]);
    const outputs = profile.convert(written, path.join(dir, "recalculated"));
    for (const [k, name] of names.entries()) cases.get(name)!.wb = await RecalculatedWorkbook.read(outputs[k]);
  }, 600_000);

  afterAll(() => {
    profile?.dispose();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test("tokens *, ?, c*, ca~t, <s>, a blank, Cat, CAFÉ: each finds the model's word exactly (case ignored), #N/A when it has none, <pad> when blank", () => {
    const { vocab, params, config } = wild;
    const index = new TokenIndex(vocab.tokens);
    const ids = TOKENS.map((w) => (w === null ? PAD_ID : index.id(w)));
    expect(ids).toEqual([undefined, undefined, undefined, undefined, vocab.id(BOS), PAD_ID, vocab.id("cat"), vocab.id("café")]);
    for (const w of ["*", "?", "c*", "ca~t"])
      expect(() =>
        lib.embed(
          [[w]],
          vocab.tokens.map((t) => [t]),
          vocab.tokens.map(() => [0]),
        ),
      ).toThrow(UnknownTokenError);
    const got = valuesOf("wildcards", "Token_Ids")[0];
    expect(got.map((v, j) => (ids[j] === undefined ? isNA(v) : v === ids[j]! + 1))).toEqual(TOKENS.map(() => true));
    const X = forward(
      params,
      config,
      ids.map((id) => id ?? PAD_ID),
    ).streams.source!.X;
    valuesOf("wildcards", "X").forEach((row, i) =>
      row.forEach((v, j) => {
        if (ids[i] === undefined) expect(isNA(v)).toBe(true);
        else expect(Math.abs((v as number) - X.data[i * X.cols + j])).toBeLessThanOrEqual(TOLERANCE);
      }),
    );
  });

  test("a predicted word that holds a wildcard feeds the decoder as itself: every block equals the model's", () => {
    expect(valuesOf("wildcard decoder", "Dec_Tokens")[0].slice(0, 2)).toEqual([BOS, "c*"]);
    const { mismatches, worst } = compare(wildDecoder.plan, recalculated("wildcard decoder"));
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(worst).toBeLessThanOrEqual(TOLERANCE);
  });

  describe.each(SWITCHES.map((sw) => [sw.key, sw] as const))("%s", (_, sw) => {
    test.each(SWITCH_VALUES.filter((v) => v.reads !== undefined).map((v) => [v.label, v] as const))(
      "%s: reads as the model with that switch, in every block",
      (label, v) => {
        const name = `${sw.key} ${label}`;
        expect(valuesOf(name, sw.check)[0][0]).toBe(v.reads ? "on" : "off");
        const expected = planFor("seed", undefined, sw.config(v.reads!)).plan;
        const { mismatches, worst } = compare(expected, recalculated(name), [sw.key]);
        expect(mismatches.slice(0, 10)).toEqual([]);
        expect(worst).toBeLessThanOrEqual(TOLERANCE);
      },
    );

    test.each(SWITCH_VALUES.filter((v) => v.reads === undefined).map((v) => [v.label, v] as const))(
      "%s: flagged beside the switch; the blocks that read it show #N/A",
      (label, v) => {
        const name = `${sw.key} ${label}`;
        const flag = valuesOf(name, sw.check)[0][0];
        expect(flag).toMatch(/^⚠ .* is not a switch value: type TRUE or FALSE \(or 1 or 0\)/);
        expect(flag).toContain(`${v.shown} is not`);
        expect(valuesOf(name, sw.reader).flat().every(isNA)).toBe(true);
      },
    );
  });

  test("an all-empty Tokens row: the checks say the input is empty, the translation says there is none, every block equals the model's for no words", () => {
    const empty = "Type a sentence in Tokens: the input is empty";
    expect(valuesOf("empty", "Input_Check")[0][0]).toBe(empty);
    expect(valuesOf("empty", "Output_Check")[0][0]).toBe(empty);
    expect(valuesOf("empty", "Translation")[0][0]).toBe("(no input: type a sentence in Tokens)");
    const { mismatches, worst } = compare(planFor("encoder-decoder", []).plan, recalculated("empty"));
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(worst).toBeLessThanOrEqual(TOLERANCE);
  });
});

/** The model's parameters as the workbook holds them: each parameter is the named block of its name (its weights are values). */
function paramsOf(plan: WorkbookPlan, config: ModelConfig): Params {
  return Object.fromEntries(paramSpecs(config).map((s) => [s.name, fromRows(blockOf(plan, s.name).values as number[][], s.name)]));
}

/** softmax(row / T), written out here rather than taken from src/model. */
function softmaxOver(row: readonly number[], temperature: number): number[] {
  const max = Math.max(...row);
  const e = row.map((l) => Math.exp((l - max) / temperature));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

describe("the exported trained gpt workbook, typed into in LibreOffice", () => {
  const o = options(["--preset", "gpt", "--train-steps", String(getPreset("gpt").steps)]);
  const gpt = getPreset("gpt");
  const stories = makeTask(o.task, { seed: o.seed, ...gpt.taskOptions });
  const config = configFor(gpt, stories, { layers: o.layers });
  const { vocab } = stories;
  const prompt = (k: number): string[] => stories.train[k].source.slice(0, PROMPT_LENGTH);
  const TRAINING = [3, 5, 11, 26];
  const UNSEEN = [
    ["fish", "the"],
    ["under", "bee"],
  ];
  // New dice, not the file's (those come from --dice-seed, here the default seed).
  const dice = rollDice(7, config.sourceLen);
  const SAMPLED = [
    { temperature: 0.5, sampling: true },
    { temperature: 2, sampling: true },
    { temperature: 3, sampling: false },
  ];
  const sampledPrompt = prompt(3);
  const sampledName = (s: { temperature: number; sampling: boolean }) => `T=${s.temperature}, sampling ${s.sampling ? "on" : "off"}`;

  let profile: LibreOfficeProfile;
  let dir: string;
  let exported: WorkbookPlan;
  let params: Params;
  const recalculated = new Map<string, RecalculatedWorkbook>();
  const valuesOf = (name: string, key: string): CellResult[][] => {
    const b = blockOf(exported, key);
    return recalculated.get(name)!.values(b.sheet, b.top, b.left, b.rows, b.cols);
  };
  /** The prompt typed into the Tokens cells after <s>, as a user types it. */
  const typePrompt = (plan: WorkbookPlan, words: string[]) =>
    typed(
      plan,
      "Tokens",
      words.map((value, k) => ({ i: 0, j: k + 1, value })),
    );
  /** The plan the builder makes for this prompt and these generation settings, from the same weights: the model's value of every block. */
  const expectedPlan = (words: string[], s: { temperature?: number; sampling?: boolean; dice?: number[] } = {}): WorkbookPlan =>
    buildWorkbookPlan({
      preset: "gpt",
      description: gpt.description,
      config,
      vocab,
      params,
      sentence: words,
      examples: stories.train,
      dice: s.dice ?? rollDice(o.diceSeed, config.sourceLen),
      temperature: s.temperature,
      sampling: s.sampling,
    });

  beforeAll(async () => {
    libreOfficeVersion();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "attention-lab-gpt-"));
    profile = new LibreOfficeProfile();
    exported = (await buildTrained(o)).plan;
    params = paramsOf(exported, config);
    const variants = new Map<string, WorkbookPlan>();
    for (const k of TRAINING) variants.set(`story ${k}`, typePrompt(exported, prompt(k)));
    for (const words of UNSEEN) variants.set(words.join(" "), typePrompt(exported, words));
    for (const s of SAMPLED) {
      const withPrompt = typePrompt(exported, sampledPrompt);
      const withSettings = typed(typed(withPrompt, "Temperature", [{ i: 0, j: 0, value: s.temperature }]), "Sampling_On", [
        { i: 0, j: 0, value: s.sampling ? 1 : 0 },
      ]);
      variants.set(
        sampledName(s),
        typed(
          withSettings,
          "Dice",
          dice.map((value, j) => ({ i: 0, j, value })),
        ),
      );
    }
    const names = [...variants.keys()];
    const written = names.map((_, k) => path.join(dir, `gpt${k}.xlsx`));
    // Wrong cached results everywhere: only LibreOffice's recalculation can write the continuation.
    for (const [k, name] of names.entries()) await writePlanXlsx(withStaleCache(variants.get(name)!), written[k]);
    const outputs = profile.convert(written, path.join(dir, "recalculated"));
    for (const [k, name] of names.entries()) recalculated.set(name, await RecalculatedWorkbook.read(outputs[k]));
  }, 600_000);

  afterAll(() => {
    profile?.dispose();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The training log is the exported run's; an expected plan built here has none. */
  const NOT_TYPED = [TRAIN_LOG_NAME];

  test.each(TRAINING)("typing the prompt of story %i writes the story itself, the model's greedy continuation, in every block", (k) => {
    const name = `story ${k}`;
    const { tokens } = generate(params, config, vocab.encode(prompt(k), PROMPT_LENGTH));
    const story = stories.train[k].source.join(" ");
    expect(vocab.decode(tokens.slice(1)).join(" ")).toBe(story);
    expect(valuesOf(name, "Tokens")[0]).toEqual(tokens.map((id) => vocab.word(id)));
    expect(valuesOf(name, "Generated")[0][0]).toBe(story);
    expect(recalculated.get(name)!.errors()).toEqual([]);
    const { mismatches, worst } = compare(expectedPlan(prompt(k)), recalculated.get(name)!, NOT_TYPED);
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(worst).toBeLessThanOrEqual(TOLERANCE);
  });

  test.each(UNSEEN.map((w) => w.join(" ")))("the unseen prompt %p is continued exactly as the model continues it", (name) => {
    const words = name.split(" ");
    expect(stories.train.some((e) => e.source.slice(0, PROMPT_LENGTH).join(" ") === name)).toBe(false);
    const { tokens } = generate(params, config, vocab.encode(words, PROMPT_LENGTH));
    expect(valuesOf(name, "Tokens")[0]).toEqual(tokens.map((id) => vocab.word(id)));
    expect(valuesOf(name, "Generated")[0][0]).toBe(vocab.decode(tokens.slice(1)).join(" "));
    expect(recalculated.get(name)!.errors()).toEqual([]);
    const { mismatches, worst } = compare(expectedPlan(words), recalculated.get(name)!, NOT_TYPED);
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(worst).toBeLessThanOrEqual(TOLERANCE);
  });

  test.each(SAMPLED.map((s) => [sampledName(s), s] as const))(
    "%s, new Dice: Probs = softmax(Logits / T) and the chosen tokens are the model's, in every block",
    (name, s) => {
      expect(valuesOf(name, "Sampling_Check")[0][0]).toBe(s.sampling ? "on" : "off");
      expect(valuesOf(name, "Temperature_Check")[0][0]).toBe(s.temperature);
      expect(recalculated.get(name)!.errors()).toEqual([]);
      expect(dice).not.toEqual(blockOf(exported, "Dice").values[0]);
      const settings = { temperature: s.temperature, sampling: s.sampling, dice };
      const { tokens, chosen } = generate(params, config, vocab.encode(sampledPrompt, PROMPT_LENGTH), settings);
      expect(valuesOf(name, "Tokens")[0]).toEqual(tokens.map((id) => vocab.word(id)));
      expect(valuesOf(name, "Predicted")[0]).toEqual(chosen.map((id) => vocab.word(id)));
      // LibreOffice's probabilities from its own logits.
      const logits = valuesOf(name, "Logits") as number[][];
      const probs = valuesOf(name, "Probs") as number[][];
      logits.forEach((row, i) => softmaxOver(row, s.temperature).forEach((p, j) => expect(Math.abs(probs[i][j] - p)).toBeLessThan(1e-12)));
      const { mismatches, worst } = compare(expectedPlan(sampledPrompt, settings), recalculated.get(name)!, NOT_TYPED);
      expect(mismatches.slice(0, 10)).toEqual([]);
      expect(worst).toBeLessThanOrEqual(TOLERANCE);
    },
  );

  test("greedy at any temperature still writes the story; at temperature 2 these dice draw a different text", () => {
    const story = stories.train[3].source.join(" ");
    expect(valuesOf(sampledName(SAMPLED[2]), "Generated")[0][0]).toBe(story);
    expect(valuesOf(sampledName(SAMPLED[1]), "Generated")[0][0]).not.toBe(story);
  });
});
