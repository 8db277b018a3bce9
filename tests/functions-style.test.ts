/**
 * The `functions` formula style: each block of the layers is one spilling
 * ATTN.* formula over the named ranges. HyperFormula evaluates the plan with
 * the ATTN.* library registered as custom functions; every block equals
 * src/model's forward pass.
 */
import { architecture } from "../src/model/architecture";
import { rollDice } from "../src/model/generate";
import { initParams, type ModelConfig } from "../src/model/config";
import { configFor, getPreset, PresetName } from "../src/model/presets";
import { makeTask } from "../src/model/tasks";
import { buildWorkbookPlan } from "../src/sheet/build";
import { isFormula } from "../src/sheet/plan";
import { expandNames, PlanEngine } from "./support/engine";

const CASES: { label: string; name: PresetName; layers: number }[] = [
  { label: "seed", name: "seed", layers: 1 },
  { label: "encoder", name: "encoder", layers: 1 },
  { label: "encoder-decoder", name: "encoder-decoder", layers: 1 },
  { label: "2-layer encoder-decoder", name: "encoder-decoder", layers: 2 },
  { label: "gpt", name: "gpt", layers: 1 },
  { label: "2-layer gpt", name: "gpt", layers: 2 },
];

/** Blocks each of which the style writes as one spilling formula: every computed block of every layer, the output's. */
function spilledKeys(config: ModelConfig): string[] {
  return [
    ...architecture(config).layers.flatMap((layer) =>
      layer.blocks.flatMap((b) =>
        b.kind === "attention"
          ? [`${b.name}_H1_Q`, `${b.name}_H1_Scores`, `${b.name}_H1_Attn`, `${b.name}_H1_Out`, `${b.name}_MHA`]
          : b.kind === "norm"
            ? [`${b.name}_Sum`, b.out]
            : [`${b.name}_Hidden`, `${b.name}_Out`],
      ),
    ),
    "Logits",
    "Probs",
    "Predicted",
  ];
}

describe.each(CASES)("the $label workbook in the functions style", ({ name, layers }) => {
  const preset = getPreset(name);
  const task = makeTask(preset.task, { seed: 1, ...preset.taskOptions });
  const config = configFor(preset, task, { layers });
  const params = initParams(config, 9);
  const sentence = task.train[2].source.slice(0, Math.max(1, task.train[2].source.length - 2)); // padded (for gpt, a prompt)
  const plan = buildWorkbookPlan({
    preset: name,
    description: preset.description,
    config,
    vocab: task.vocab,
    params,
    sentence,
    examples: task.train.slice(0, 5),
    switches: name === "seed",
    style: "functions",
  });
  const blocks = plan.sheets.flatMap((s) => s.blocks);

  test("the layers' blocks are single spilling formulas over the blocks' A1 ranges, never a workbook name (a later build re-points names)", () => {
    const names = new Set(plan.names.map((n) => n.name));
    const used: string[] = [];
    const keys = spilledKeys(config);
    expect(keys).toContain(layers === 2 ? (name === "gpt" ? "Dec2_H1_Attn" : "Dec2_Cross_H1_Attn") : "Probs");
    for (const key of keys) {
      const b = blocks.find((x) => x.key === key)!;
      const formulas = b.cells.flat().filter(isFormula);
      expect({ key, formulas: formulas.length }).toEqual({ key, formulas: 1 });
      expect(b.cells[0][0]).toEqual(expect.objectContaining({ formula: expect.stringMatching(/\$[A-Z]+\$[0-9]+/) }));
    }
    for (const b of blocks)
      for (const c of b.cells.flat().filter(isFormula))
        expandNames(c.formula, (id) => void (names.has(id) && used.push(`${b.key}: ${id}`)));
    expect(used).toEqual([]);
  });

  test("every named block equals the model within 1e-9, with no error anywhere", () => {
    const engine = new PlanEngine(plan);
    expect(engine.errors()).toEqual([]);
    let worst = { diff: 0, where: "" };
    for (const b of blocks) {
      if (!b.named || b.role === "log") continue;
      const got = engine.values(b.key);
      b.values.forEach((row, i) =>
        row.forEach((want, j) => {
          const v = got[i][j];
          const diff =
            typeof want === "number"
              ? typeof v === "number"
                ? Math.abs(v - want) / Math.max(1, Math.abs(want))
                : Infinity
              : v === want || (want === null && v === null)
                ? 0
                : Infinity;
          if (diff > worst.diff)
            worst = { diff, where: `${b.key}[${i + 1},${j + 1}] engine ${JSON.stringify(v)} model ${JSON.stringify(want)}` };
        }),
      );
    }
    expect(worst.diff <= 1e-9 ? "ok" : worst.where).toBe("ok");
  });
});

describe("the Check band of a cells-style workbook built by the add-in", () => {
  test.each([
    ["encoder", 1],
    ["encoder-decoder", 1],
    ["encoder-decoder", 2],
    ["gpt", 2],
  ] as const)("%s, %i layer(s): ATTN.* agree with the cell formulas to 1e-12, and with the model", (name, layers) => {
    const preset = getPreset(name);
    const task = makeTask(preset.task, { seed: 1, ...preset.taskOptions });
    const config = configFor(preset, task, { layers });
    const plan = buildWorkbookPlan({
      preset: name,
      description: preset.description,
      config,
      vocab: task.vocab,
      params: initParams(config, 4),
      sentence: task.train[0].source.slice(0, 3),
      examples: task.train.slice(0, 3),
      check: true,
    });
    const engine = new PlanEngine(plan);
    expect(engine.errors()).toEqual([]);
    const diff = engine.values("Check_Max_Diff")[0][0] as number;
    expect(typeof diff).toBe("number");
    expect(diff).toBeLessThan(1e-12);
    // Every head of every attention block, every add & norm and every FFN of every layer is checked.
    const arch = architecture(config);
    const attentions = arch.layers.flatMap((l) => l.blocks.filter((b) => b.kind === "attention")).length;
    const others = arch.layers.flatMap((l) => l.blocks.filter((b) => b.kind !== "attention")).length;
    const checkBlocks = plan.sheets.flatMap((s) => s.blocks).filter((b) => b.key.startsWith("Check_") && b.key !== "Check_Max_Diff");
    expect(checkBlocks.length).toBe(attentions * config.heads + others);
    for (const b of checkBlocks) {
      const got = engine.values(b.key) as number[][];
      b.values.forEach((row, i) => row.forEach((want, j) => expect(Math.abs(got[i][j] - (want as number))).toBeLessThan(1e-12)));
    }
  });

  test("a weight edited by hand shows up as a difference only if a formula is out of step", () => {
    const preset = getPreset("encoder");
    const task = makeTask(preset.task, { seed: 1, ...preset.taskOptions });
    const config = configFor(preset, task);
    const plan = buildWorkbookPlan({
      preset: "encoder",
      description: preset.description,
      config,
      vocab: task.vocab,
      params: initParams(config, 4),
      sentence: task.train[0].source,
      examples: task.train.slice(0, 3),
      check: true,
    });
    const engine = new PlanEngine(plan);
    engine.set("Enc_FF_W1", 0, 0, 3.5); // both the cells and ATTN.FFN read the new weight
    expect(engine.values("Check_Max_Diff")[0][0] as number).toBeLessThan(1e-12);
    engine.set("Enc_FF_Out", 0, 0, 42); // a cell formula overwritten by hand is out of step
    expect(engine.values("Check_Max_Diff")[0][0] as number).toBeGreaterThan(1);
  });

  test("the .xlsx export leaves the Check band and the functions style out", async () => {
    const { buildTrained } = await import("../src/cli/workbook");
    const { plan } = await buildTrained({
      preset: "encoder",
      task: "reverse",
      seed: 1,
      trainSteps: 0,
      sentence: ["a", "b", "c"],
      layers: 1,
      diceSeed: 1,
    } as never);
    const keys = plan.sheets.flatMap((s) => s.blocks).map((b) => b.key);
    expect(keys.filter((k) => k.startsWith("Check_"))).toEqual([]);
    const formulas = plan.sheets
      .flatMap((s) => s.blocks)
      .flatMap((b) => b.cells.flat())
      .filter(isFormula);
    expect(formulas.some((f) => f.formula.includes("ATTN."))).toBe(false);
  });
});

describe("the seed workbook's switches in the functions style read as in the cells style", () => {
  const preset = getPreset("seed");
  const task = makeTask(preset.task, { seed: 1, ...preset.taskOptions });
  const base = configFor(preset, task);
  const params = initParams(base, 9);
  const sentence = task.train[0].source;
  const build = (softmax: boolean, scaled: boolean) =>
    buildWorkbookPlan({
      preset: "seed",
      description: preset.description,
      config: { ...base, normalization: softmax ? "softmax" : "none", scaled },
      vocab: task.vocab,
      params,
      sentence,
      examples: task.train.slice(0, 3),
      switches: true,
      style: "functions",
    });

  test.each([
    ["TRUE and TRUE", true, true, true, true],
    ["TRUE and FALSE", true, false, true, false],
    ["FALSE and TRUE", false, true, false, true],
  ])(
    "%s typed into Softmax_On and Scaling_On: every block equals the model with those switches",
    (_, softmaxValue, scaledValue, softmax, scaled) => {
      const engine = new PlanEngine(build(false, false));
      engine.set("Softmax_On", 0, 0, softmaxValue);
      engine.set("Scaling_On", 0, 0, scaledValue);
      const want = build(softmax, scaled);
      for (const key of ["Enc_H1_Scores", "Enc_H1_Attn", "Enc_H1_Out", "Enc_Out", "Probs"]) {
        const expected = want.sheets.flatMap((s) => s.blocks).find((b) => b.key === key)!.values;
        const got = engine.values(key);
        const worst = Math.max(
          ...expected.flatMap((row, i) =>
            row.map((v, j) => (typeof got[i][j] === "number" ? Math.abs((got[i][j] as number) - (v as number)) : Infinity)),
          ),
        );
        expect({ key, ok: worst <= 1e-9 }).toEqual({ key, ok: true });
      }
    },
  );
});

test("a gpt workbook in the functions style samples with ATTN.SAMPLE as the model draws, at the Temperature typed", () => {
  const preset = getPreset("gpt");
  const task = makeTask(preset.task);
  const config = configFor(preset, task);
  const params = initParams(config, 3);
  const build = (generation: { temperature?: number; sampling?: boolean; dice?: number[] }) =>
    buildWorkbookPlan({
      preset: "gpt",
      description: "",
      config,
      vocab: task.vocab,
      params,
      sentence: ["the", "cat"],
      examples: task.train.slice(0, 3),
      style: "functions",
      ...generation,
    });
  const engine = new PlanEngine(build({}));
  const dice = rollDice(11, config.sourceLen);
  engine.set("Temperature", 0, 0, 2);
  engine.set("Sampling_On", 0, 0, 1);
  dice.forEach((d, j) => engine.set("Dice", 0, j, d));
  // Tokens are fixed at build time in this style: type the model's sampled continuation, as a learner steps it by hand.
  const want = build({ temperature: 2, sampling: true, dice });
  const tokens = want.sheets.flatMap((s) => s.blocks).find((x) => x.key === "Tokens")!.values[0];
  tokens.forEach((w, j) => j > 0 && engine.set("Tokens", 0, j, w));
  for (const key of ["Probs", "Predicted"]) {
    const b = want.sheets.flatMap((s) => s.blocks).find((x) => x.key === key)!;
    const got = engine.values(key);
    b.values.forEach((row, i) =>
      row.forEach((v, j) =>
        typeof v === "number" ? expect(Math.abs((got[i][j] as number) - v)).toBeLessThan(1e-12) : expect(got[i][j]).toBe(v),
      ),
    );
  }
  expect(engine.values("Predicted")[0]).not.toEqual(
    build({})
      .sheets.flatMap((s) => s.blocks)
      .find((x) => x.key === "Predicted")!.values[0],
  );
  engine.set("Sampling_On", 0, 0, "yes");
  expect(engine.values("Predicted")[0].every((v) => typeof v === "object" && v !== null && "error" in v)).toBe(true);
});
