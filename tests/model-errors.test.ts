/**
 * Bad input to the model gets an error that says what was expected and what
 * came in.
 */
import { multiHead } from "../src/model/attention";
import { ModelConfig, initParams, validateConfig } from "../src/model/config";
import { layerNorm } from "../src/model/layers";
import { fromRows, matmul, zeros } from "../src/model/matrix";
import { configFor, encodeExample, getPreset } from "../src/model/presets";
import { makeTask } from "../src/model/tasks";
import { evaluate, forward } from "../src/model/transformer";

const c: ModelConfig = {
  vocabSize: 8,
  dModel: 4,
  heads: 2,
  dK: 3,
  dFF: 6,
  sourceLen: 5,
  targetLen: 0,
  kind: "encoder",
  layers: 1,
  normalization: "softmax",
  scaled: true,
  peDims: 4,
};

describe("shapes", () => {
  test("a projection whose rows do not match X's columns", () => {
    expect(() => matmul(zeros(3, 5), zeros(4, 2), "X", "Wq")).toThrow("Wq has 4 rows but X has 5 columns");
  });

  test("a head weight of the wrong size names the head", () => {
    const X = zeros(3, 5);
    const w = { Wq: zeros(4, 2), Wk: zeros(5, 2), Wv: zeros(5, 2) };
    expect(() => multiHead(X, X, { heads: [w], Wo: zeros(2, 5) }, { normalization: "softmax", scaled: true }, undefined, "Enc")).toThrow(
      "Enc head 1 Wq has 4 rows but X has 5 columns",
    );
  });

  test("LayerNorm gamma of the wrong width", () => {
    expect(() => layerNorm(zeros(2, 4), zeros(1, 3), zeros(1, 4), "Enc_LN1")).toThrow("Enc_LN1 gamma should be 1 × 4 but is 1 × 3");
  });

  test("ragged rows", () => {
    expect(() => fromRows([[1, 2], [3]], "Embedding")).toThrow("Embedding row 2 has 1 values but row 1 has 2");
  });

  test("a parameter of the wrong shape is named with both shapes", () => {
    const p = initParams(c, 1);
    p.Enc_H2_Wk = zeros(4, 2);
    expect(() => evaluate(p, c, [{ source: [3, 4, 5, 0, 0], target: [5, 4, 3, 0, 0] }])).toThrow("Enc_H2_Wk should be 4 × 3 but is 4 × 2");
  });

  test("a missing parameter is named", () => {
    const p = initParams(c, 1);
    delete p.Out_B;
    expect(() => evaluate(p, c, [{ source: [3, 4, 5, 0, 0], target: [5, 4, 3, 0, 0] }])).toThrow("the parameter Out_B (1 × 8) is missing");
  });

  test("a sentence longer than the model takes", () => {
    const p = initParams(c, 1);
    expect(() => forward(p, c, [3, 3, 3, 3, 3, 3])).toThrow("the source has 6 tokens but this model takes 1 to 5");
  });

  test("a token id outside the vocabulary", () => {
    const p = initParams(c, 1);
    expect(() => forward(p, c, [3, 9])).toThrow("token 2 of the source is id 9 but ids run from 0 to 7");
  });

  test("a config whose sizes are not whole numbers", () => {
    expect(() => validateConfig({ ...c, heads: 1.5 })).toThrow("heads should be a whole number from 1 to 64, got 1.5");
  });
});

describe("values", () => {
  test("a NaN weight is named with its row and column", () => {
    const p = initParams(c, 1);
    p.Enc_FF_W1.data[1 * 6 + 2] = NaN;
    expect(() => evaluate(p, c, [{ source: [3, 4, 5, 0, 0], target: [5, 4, 3, 0, 0] }])).toThrow(
      "Enc_FF_W1 should hold finite numbers but has NaN at row 2, column 3",
    );
  });

  test("an infinite weight", () => {
    const p = initParams(c, 1);
    p.Embedding.data[0] = Infinity;
    expect(() => evaluate(p, c, [{ source: [3, 4, 5, 0, 0], target: [5, 4, 3, 0, 0] }])).toThrow(
      "Embedding should hold finite numbers but has Infinity at row 1, column 1",
    );
  });
});

describe("tokens and presets", () => {
  test("an unknown word is named", () => {
    const preset = getPreset("encoder-decoder");
    const task = makeTask(preset.task);
    const cfg = configFor(preset, task);
    expect(() => encodeExample(task, cfg, { source: ["the", "platypus", "eats"], target: ["el"] })).toThrow(
      /"platypus" is not in the vocabulary/,
    );
  });

  test("an unknown preset lists the valid ones", () => {
    expect(() => getPreset("gpt-2")).toThrow('unknown preset "gpt-2"; choose one of seed, encoder, encoder-decoder, gpt');
  });

  test("a preset without a decoder cannot translate", () => {
    expect(() => configFor(getPreset("encoder"), makeTask("translate"))).toThrow(/needs the encoder-decoder preset/);
  });
});
