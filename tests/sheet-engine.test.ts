/**
 * The workbook plan evaluated by HyperFormula, an independent formula engine:
 * every block equals src/model's forward pass, live edits recompute like the
 * model, and the decoder's greedy loop has no circular reference. (The
 * exported .xlsx file itself is read back in export-blocks.test.ts.)
 */
import { ModelConfig, Params, initParams } from "../src/model/config";
import { newOptimizerState, optimizerStep } from "../src/model/optim";
import { configFor, encodeExamples, getPreset, PresetName } from "../src/model/presets";
import { generate, rollDice } from "../src/model/generate";
import { PROMPT_LENGTH, Task, makeTask } from "../src/model/tasks";
import { PAD_ID, forward, greedyDecode, lossAndGradients } from "../src/model/transformer";
import { BOS, UnknownTokenError, Vocab } from "../src/model/vocab";
import * as lib from "../src/functions/library";
import { TokenIndex } from "../src/taskpane/data";
import { buildWorkbookPlan } from "../src/sheet/build";
import { WorkbookPlan } from "../src/sheet/plan";
import { EngineValue, PlanEngine } from "./support/engine";
import { GPT2_NAMES, GPT_NAMES, LAYER2_NAMES } from "./support/public-names";

/** A decoder-only workbook's Temperature, Sampling_On and Dice. */
type Generation = { temperature?: number; sampling?: boolean; dice?: number[] };

interface Setup {
  task: Task;
  config: ModelConfig;
  params: Params;
}

function setup(name: PresetName, overrides: Partial<ModelConfig> = {}): Setup {
  const preset = getPreset(name);
  const task = makeTask(preset.task, { seed: 1, ...preset.taskOptions });
  const config = { ...configFor(preset, task), ...overrides };
  return { task, config, params: initParams(config, 5) };
}

function plan(name: PresetName, s: Setup, sentence: string[], switches = name === "seed", generation: Generation = {}): WorkbookPlan {
  return buildWorkbookPlan({
    ...generation,
    preset: name,
    description: getPreset(name).description,
    config: s.config,
    vocab: s.task.vocab,
    params: s.params,
    sentence,
    examples: s.task.train.slice(0, 10),
    switches,
  });
}

/** Relative difference, |a − b| / max(1, |b|); a non-number or a text mismatch is Infinity. */
function difference(engine: EngineValue, model: EngineValue): number {
  if (typeof model === "number") return typeof engine === "number" ? Math.abs(engine - model) / Math.max(1, Math.abs(model)) : Infinity;
  if (model === null) return engine === null ? 0 : Infinity;
  return engine === model ? 0 : Infinity;
}

/** The worst cell of every named block against the model's values in `expected` (by block key). */
function worstNamed(engine: PlanEngine, expected: WorkbookPlan, skip: readonly string[] = []): { where: string; diff: number } {
  let worst = { where: "", diff: 0 };
  for (const { name } of expected.names) {
    if (skip.includes(name)) continue;
    const want = expected.sheets.flatMap((s) => s.blocks).find((b) => b.key === name)!;
    if (want.role === "log") continue;
    const got = engine.values(name);
    want.values.forEach((row, i) =>
      row.forEach((v, j) => {
        const d = difference(got[i][j], v);
        if (d > worst.diff)
          worst = { where: `${name}[${i + 1},${j + 1}]: engine ${JSON.stringify(got[i][j])}, model ${JSON.stringify(v)}`, diff: d };
      }),
    );
  }
  return worst;
}

const NAMED = [
  "Tokens",
  "Vocab",
  "Embedding",
  "PosEnc",
  "X",
  "Enc_H1_Wq",
  "Enc_H1_Wk",
  "Enc_H1_Wv",
  "Enc_Wo",
  "Enc_H1_Scores",
  "Enc_H1_Attn",
  "Enc_H1_Out",
  "Enc_LN1_Gamma",
  "Enc_LN1_Beta",
  "Enc_FF_W1",
  "Enc_FF_B1",
  "Enc_FF_W2",
  "Enc_FF_B2",
  "Enc_LN2_Gamma",
  "Enc_LN2_Beta",
  "Enc_Out",
  "Out_W",
  "Out_B",
  "Logits",
  "Probs",
  "Predicted",
  "Data_Source",
  "Data_Target",
];
const DECODER_NAMED = [
  "Dec_Tokens",
  "Dec_X",
  "Dec_Self_H1_Wq",
  "Dec_Self_H1_Attn",
  "Dec_Self_Wo",
  "Dec_Cross_H1_Wk",
  "Dec_Cross_H1_Attn",
  "Dec_Cross_Wo",
  "Dec_LN1_Gamma",
  "Dec_LN2_Beta",
  "Dec_LN3_Gamma",
  "Dec_FF_W1",
  "Dec_Out",
];

const CASES: { label: string; name: PresetName; layers: number; required: string[] }[] = [
  { label: "seed", name: "seed", layers: 1, required: NAMED },
  { label: "encoder", name: "encoder", layers: 1, required: NAMED },
  { label: "encoder-decoder", name: "encoder-decoder", layers: 1, required: [...NAMED, ...DECODER_NAMED] },
  { label: "2-layer encoder-decoder", name: "encoder-decoder", layers: 2, required: [...NAMED, ...DECODER_NAMED, ...LAYER2_NAMES] },
  { label: "gpt", name: "gpt", layers: 1, required: GPT_NAMES },
  { label: "2-layer gpt", name: "gpt", layers: 2, required: [...GPT_NAMES, ...GPT2_NAMES] },
];

describe.each(CASES)("the $label workbook in a formula engine", ({ name, layers, required }) => {
  const s = setup(name, { layers });
  // A decoder-only model's sentence is its prompt: the whole of a text, and its first word.
  const full = name === "gpt" ? s.task.train[0].source.slice(0, 4) : s.task.train[0].source;
  const short = full.slice(0, Math.max(1, full.length - 3));

  test.each([
    ["the default sentence", full],
    ["a shorter sentence, with padding", short],
  ])("every named block equals the model within 1e-9 (%s)", (_, sentence) => {
    const p = plan(name, s, sentence);
    const engine = new PlanEngine(p);
    expect(engine.errors()).toEqual([]);
    const names = p.names.map((n) => n.name);
    expect(required.filter((r) => !names.includes(r))).toEqual([]);
    const worst = worstNamed(engine, p);
    expect(worst.diff <= 1e-9 ? "ok" : worst.where).toBe("ok");
  });

  test("no name looks like a cell address", () => {
    const p = plan(name, s, full);
    for (const { name: n } of p.names) expect(n).not.toMatch(/^(\$?[A-Za-z]{1,3}\$?[0-9]+|[RrCc]|[Rr][0-9]*[Cc][0-9]*)$/);
  });
});

test("typing a padded sentence into Tokens recomputes every block as the model does for that sentence", () => {
  const s = setup("encoder");
  const before = plan("encoder", s, s.task.train[0].source);
  const engine = new PlanEngine(before);
  const sentence = s.task.train[1].source.slice(0, 4);
  const n = s.config.sourceLen;
  for (let j = 0; j < n; j++) engine.set("Tokens", 0, j, sentence[j] ?? null);
  const worst = worstNamed(engine, plan("encoder", s, sentence));
  expect(worst.diff <= 1e-9 ? "ok" : worst.where).toBe("ok");
});

test("the seed workbook's switches turn softmax and scaling on live, as the model computes them", () => {
  const s = setup("seed");
  const sentence = s.task.train[0].source;
  const engine = new PlanEngine(plan("seed", s, sentence));
  engine.set("Softmax_On", 0, 0, 1);
  engine.set("Scaling_On", 0, 0, 1);
  const withSoftmax: Setup = { ...s, config: { ...s.config, normalization: "softmax", scaled: true } };
  const worst = worstNamed(engine, plan("seed", withSoftmax, sentence));
  expect(worst.diff <= 1e-9 ? "ok" : worst.where).toBe("ok");
  // Each attention row now sums to 1.
  for (const row of engine.values("Enc_H1_Attn")) expect(Math.abs((row as number[]).reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
});

/** The encoder–decoder trained for 100 steps (it translates every pair by then), shared by the tests below. */
const trained: Setup = (() => {
  const s = setup("encoder-decoder");
  const train = encodeExamples(s.task, s.config, s.task.train);
  const state = newOptimizerState();
  for (let step = 0; step < 100; step++) {
    const { grads } = lossAndGradients(s.params, s.config, train);
    optimizerStep(s.params, grads, getPreset("encoder-decoder").optimizer, state);
  }
  return s;
})();

describe("the trained encoder–decoder translates live", () => {
  const s = trained;
  const engine = new PlanEngine(plan("encoder-decoder", s, s.task.train[0].source));

  const translate = (words: string[]): string => {
    const ids = s.task.vocab.encode(words, s.config.sourceLen);
    return s.task.vocab.decode(greedyDecode(s.params, s.config, ids).predicted).join(" ");
  };

  test.each([3, 17, 42])("typing training sentence %i into Tokens gives the model's greedy translation", (k) => {
    const source = s.task.train[k].source;
    for (let j = 0; j < s.config.sourceLen; j++) engine.set("Tokens", 0, j, source[j] ?? null);
    const expected = translate(source);
    expect(expected).toBe(s.task.train[k].target.join(" "));
    expect(engine.values("Translation")[0][0]).toBe(expected);
    expect(engine.errors()).toEqual([]);
  });

  test("a sentence the model never saw still decodes exactly as the model decodes it", () => {
    const vocab = s.task.vocab;
    const english = s.task.train[5].source
      .slice()
      .reverse()
      .filter((w) => vocab.has(w));
    for (let j = 0; j < s.config.sourceLen; j++) engine.set("Tokens", 0, j, english[j] ?? null);
    const got = engine.values("Predicted")[0];
    const ids = vocab.encode(english, s.config.sourceLen);
    const want = greedyDecode(s.params, s.config, ids).predicted.map((id) => vocab.word(id));
    expect(got).toEqual(want);
  });
});

/** The gpt preset trained for its 300 steps: it continues every training prompt by then. */
const trainedGpt: Setup = (() => {
  const s = setup("gpt");
  const train = encodeExamples(s.task, s.config, s.task.train);
  const state = newOptimizerState();
  for (let step = 0; step < getPreset("gpt").steps; step++)
    optimizerStep(s.params, lossAndGradients(s.params, s.config, train).grads, getPreset("gpt").optimizer, state);
  return s;
})();

describe("the trained gpt writes text live", () => {
  const s = trainedGpt;
  const prompt = (k: number): string[] => s.task.train[k].source.slice(0, PROMPT_LENGTH);
  const engine = new PlanEngine(plan("gpt", s, prompt(0)));
  const typePrompt = (words: string[]): void => words.forEach((w, j) => engine.set("Tokens", 0, j + 1, w));

  test.each([0, 5, 11, 26])("typing the prompt of story %i into Tokens writes the rest of the story, as the model generates it", (k) => {
    typePrompt(prompt(k));
    const ids = generate(s.params, s.config, s.task.vocab.encode(prompt(k), PROMPT_LENGTH)).tokens;
    const text = s.task.vocab.decode(ids.slice(1)).join(" ");
    expect(text).toBe(s.task.train[k].source.join(" "));
    expect(engine.values("Generated")[0][0]).toBe(text);
    expect(engine.errors()).toEqual([]);
  });

  test("a prompt the model never saw is continued exactly as the model continues it", () => {
    const words = ["fish", "the"];
    typePrompt(words);
    const want = generate(s.params, s.config, s.task.vocab.encode(words, 2)).tokens.map((id) => s.task.vocab.word(id));
    expect(engine.values("Tokens")[0].map((w) => (w === null ? "<pad>" : w))).toEqual(want);
    expect(engine.errors()).toEqual([]);
  });

  test("Temperature, Sampling_On and Dice change Probs and the chosen tokens exactly as the model says", () => {
    const words = prompt(3);
    const fresh = new PlanEngine(plan("gpt", s, words));
    const dice = rollDice(7, s.config.sourceLen);
    for (const [temperature, sampling] of [
      [3, false],
      [0.5, true],
      [2, true],
    ] as const) {
      fresh.set("Temperature", 0, 0, temperature);
      fresh.set("Sampling_On", 0, 0, sampling ? 1 : 0);
      dice.forEach((d, j) => fresh.set("Dice", 0, j, d));
      const want = plan("gpt", s, words, false, { temperature, sampling, dice });
      const worst = worstNamed(fresh, want);
      expect(worst.diff <= 1e-9 ? "ok" : worst.where).toBe("ok");
      // Probs = softmax(Logits / T), from the engine's own logits.
      const logits = fresh.values("Logits") as number[][];
      const probs = fresh.values("Probs") as number[][];
      logits.forEach((row, i) => {
        const e = row.map((l) => Math.exp((l - Math.max(...row)) / temperature));
        const sum = e.reduce((a, b) => a + b, 0);
        e.forEach((v, j) => expect(Math.abs(probs[i][j] - v / sum)).toBeLessThan(1e-12));
      });
    }
    // At temperature 2 these dice draw a continuation that greedy decoding would not write.
    expect(fresh.values("Generated")[0][0]).not.toBe(s.task.train[3].source.join(" "));
  });
});

describe("token lookups are exact: *, ? and ~ are plain characters, as in the model", () => {
  // A vocabulary in which each wildcard would find a word: "*" the first row (<pad>), "?" the one-letter "a", "c*" "café", "ca~t" "cat".
  const vocab = new Vocab(["a", "café", "cat", "dog"]);
  const examples = [{ source: ["cat"], target: ["dog"] }];
  const build = (config: ModelConfig, params: Params, sentence: string[]): WorkbookPlan =>
    buildWorkbookPlan({ preset: "encoder", description: "custom vocabulary", config, vocab, params, sentence, examples });

  test("each typed token finds the model's word (case ignored, as the add-in reads typed words), #N/A if it has none, <pad> if blank", () => {
    const config: ModelConfig = { ...setup("encoder").config, vocabSize: vocab.size, sourceLen: 8 };
    const params = initParams(config, 5);
    const engine = new PlanEngine(build(config, params, ["cat"]));
    const typed = ["*", "?", "c*", "ca~t", "<s>", null, "Cat", "CAFÉ"];
    typed.forEach((w, j) => engine.set("Tokens", 0, j, w));
    // The add-in's reading of a typed word (the Data sheet's reader), and the model's ids.
    const index = new TokenIndex(vocab.tokens);
    const ids = typed.map((w) => (w === null ? PAD_ID : index.id(w)));
    expect(ids).toEqual([undefined, undefined, undefined, undefined, vocab.id(BOS), PAD_ID, vocab.id("cat"), vocab.id("café")]);
    for (const w of ["*", "?", "c*", "ca~t"]) expect(() => vocab.id(w)).toThrow(UnknownTokenError);
    const X = forward(
      params,
      config,
      ids.map((id) => id ?? PAD_ID),
    ).streams.source!.X;
    const NA = { error: "NA" };
    const got = engine.values("Token_Ids")[0].map((v) => (typeof v === "object" && v !== null ? { error: v.error } : v));
    expect(got).toEqual(ids.map((id) => (id === undefined ? NA : id + 1)));
    engine.values("X").forEach((row, i) => {
      if (ids[i] === undefined) expect(row.map((v) => (v as { error: string }).error)).toEqual(row.map(() => "NA"));
      else row.forEach((v, j) => expect(Math.abs((v as number) - X.data[i * X.cols + j])).toBeLessThan(1e-12));
    });
    // ATTN.EMBED says the same: the word's embedding row, or #N/A.
    const vocabColumn = vocab.tokens.map((t) => [t]);
    const E = Array.from({ length: vocab.size }, (_, r) =>
      Array.from(params.Embedding.data.slice(r * config.dModel, (r + 1) * config.dModel)),
    );
    typed.forEach((w, i) => {
      if (w === null) return;
      if (ids[i] === undefined) expect(() => lib.embed([[w]], vocabColumn, E)).toThrow(UnknownTokenError);
      else expect(lib.embed([[w]], vocabColumn, E)).toEqual([E[ids[i]!]]);
    });
  });

  test("a predicted word that holds a wildcard feeds the decoder as itself, not as the first word it would match", () => {
    const wild = new Vocab(["café", "c*", "dog"]);
    const config: ModelConfig = { ...setup("encoder-decoder").config, vocabSize: wild.size };
    const params = initParams(config, 5);
    // "c*" wins every position, so the decoder's input is <s> c* c* …
    params.Out_B.data[wild.id("c*")] = 100;
    const p = buildWorkbookPlan({
      preset: "encoder-decoder",
      description: "custom vocabulary",
      config,
      vocab: wild,
      params,
      sentence: ["café", "dog"],
      examples,
    });
    const engine = new PlanEngine(p);
    expect(engine.values("Dec_Tokens")[0].slice(0, 2)).toEqual([BOS, "c*"]);
    const worst = worstNamed(engine, p);
    expect(worst.diff <= 1e-9 ? "ok" : worst.where).toBe("ok");
  });
});

describe("the seed workbook's switches, one at a time", () => {
  const s = setup("seed");
  const full = s.task.train[0].source;
  const padded = full.slice(0, Math.max(1, full.length - 3));
  const model = (softmax: boolean, scaled: boolean): Setup => ({
    ...s,
    config: { ...s.config, normalization: softmax ? "softmax" : "none", scaled },
  });

  test.each([
    ["softmax on, scaling off", true, false, full],
    ["softmax off, scaling on", false, true, full],
    ["softmax on, scaling off, a padded sentence", true, false, padded],
    ["softmax off, scaling on, a padded sentence", false, true, padded],
  ])("%s: every named block equals the model run with that switch alone", (_, softmax, scaled, sentence) => {
    const engine = new PlanEngine(plan("seed", s, sentence));
    engine.set("Softmax_On", 0, 0, softmax ? 1 : 0);
    engine.set("Scaling_On", 0, 0, scaled ? 1 : 0);
    expect(engine.errors()).toEqual([]);
    const worst = worstNamed(engine, plan("seed", model(softmax, scaled), sentence));
    expect(worst.diff <= 1e-9 ? "ok" : worst.where).toBe("ok");
  });

  const FLAG = /^⚠ .* is not a switch value: type TRUE or FALSE \(or 1 or 0\)/;
  test.each([
    ["TRUE", "on", true],
    ["1", "on", 1],
    ["FALSE", "off", false],
    ["0", "off", 0],
  ])("%s reads as %s, beside the switch and in every block", (_, reads, value) => {
    const sentence = padded;
    for (const key of ["Softmax_On", "Scaling_On"] as const) {
      const engine = new PlanEngine(plan("seed", s, sentence));
      const other = key === "Softmax_On" ? "Scaling_On" : "Softmax_On";
      engine.set(key, 0, 0, value);
      engine.set(other, 0, 0, 1);
      const on = reads === "on";
      expect(engine.values(key.replace("_On", "_Check"))[0][0]).toBe(reads);
      expect(engine.values(other.replace("_On", "_Check"))[0][0]).toBe("on");
      // The switch cell holds what was typed (TRUE where the model's plan wrote 1); every other block is compared.
      const worst = worstNamed(engine, plan("seed", key === "Softmax_On" ? model(on, true) : model(true, on), sentence), [key]);
      expect(worst.diff <= 1e-9 ? "ok" : `${key} = ${String(value)}: ${worst.where}`).toBe("ok");
    }
  });

  test.each([
    ['the text "1"', "'1", '"1"'],
    ['"yes"', "yes", '"yes"'],
    ["2", 2, "2"],
    ["an empty cell", null, "an empty cell"],
  ])("%s is flagged beside the switch, and the blocks that read it show #N/A", (_, value, shown) => {
    for (const [key, reader] of [
      ["Softmax_On", "Enc_H1_Attn"],
      ["Scaling_On", "Enc_H1_Scores"],
    ] as const) {
      const engine = new PlanEngine(plan("seed", s, full));
      engine.set(key, 0, 0, value);
      const flag = engine.values(key.replace("_On", "_Check"))[0][0];
      expect(flag).toMatch(FLAG);
      expect(flag).toContain(`${shown} is not`);
      expect(
        engine
          .values(reader)
          .flat()
          .every((v) => typeof v === "object" && v !== null && v.error === "NA"),
      ).toBe(true);
    }
  });
});

describe("an empty or unknown input says so", () => {
  test.each(["encoder", "encoder-decoder"] as const)(
    "%s: an all-empty Tokens row: the check beside it and on Output says the input is empty; the blocks equal the model's for no words",
    (name) => {
      const s = setup(name);
      const engine = new PlanEngine(plan(name, s, s.task.train[0].source));
      for (let j = 0; j < s.config.sourceLen; j++) engine.set("Tokens", 0, j, null);
      const empty = "Type a sentence in Tokens: the input is empty";
      expect(engine.values("Input_Check")[0][0]).toBe(empty);
      expect(engine.values("Output_Check")[0][0]).toBe(empty);
      if (s.config.kind === "encoder-decoder") expect(engine.values("Translation")[0][0]).toBe("(no input: type a sentence in Tokens)");
      const worst = worstNamed(engine, plan(name, s, []));
      expect(worst.diff <= 1e-9 ? "ok" : worst.where).toBe("ok");
    },
  );

  test("a word that is not in the vocabulary is named in the check", () => {
    const s = setup("encoder");
    const engine = new PlanEngine(plan("encoder", s, s.task.train[0].source));
    expect(engine.values("Input_Check")[0][0]).toBe("OK");
    engine.set("Tokens", 0, 1, "zebra");
    expect(engine.values("Input_Check")[0][0]).toBe("A word in Tokens is not in the vocabulary: its row shows #N/A");
  });
});
