/**
 * The `functions` formula style: each block of the layers is one spilling
 * ATTN.* formula over the named ranges. HyperFormula evaluates the plan with
 * the ATTN.* library registered as custom functions; every block equals
 * src/model's forward pass.
 */
import { initParams } from "../src/model/config";
import { configFor, getPreset, PresetName } from "../src/model/presets";
import { makeTask } from "../src/model/tasks";
import { buildWorkbookPlan } from "../src/sheet/build";
import { isFormula } from "../src/sheet/plan";
import { expandNames, PlanEngine } from "./support/engine";

describe.each(["seed", "encoder", "encoder-decoder"] as const)("the %s workbook in the functions style", (name: PresetName) => {
  const preset = getPreset(name);
  const task = makeTask(preset.task, { seed: 1, ...preset.taskOptions });
  const config = configFor(preset, task);
  const params = initParams(config, 9);
  const sentence = task.train[2].source.slice(0, Math.max(1, task.train[2].source.length - 2)); // padded
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
    for (const key of [
      "Enc_H1_Q",
      "Enc_H1_Scores",
      "Enc_H1_Attn",
      "Enc_H1_Out",
      "Enc_MHA",
      "Enc_LN1_Out",
      "Enc_FF_Hidden",
      "Enc_FF_Out",
      "Enc_Out",
      "Logits",
      "Probs",
      "Predicted",
    ]) {
      const b = blocks.find((x) => x.key === key)!;
      const formulas = b.cells.flat().filter(isFormula);
      expect({ key, formulas: formulas.length }).toEqual({ key, formulas: 1 });
      expect(b.cells[0][0]).toEqual(expect.objectContaining({ formula: expect.stringMatching(/\$[A-Z]+\$[0-9]+/) }));
    }
    for (const b of blocks)
      for (const c of b.cells.flat().filter(isFormula)) expandNames(c.formula, (id) => void (names.has(id) && used.push(`${b.key}: ${id}`)));
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
          if (diff > worst.diff) worst = { diff, where: `${b.key}[${i + 1},${j + 1}] engine ${JSON.stringify(v)} model ${JSON.stringify(want)}` };
        }),
      );
    }
    expect(worst.diff <= 1e-9 ? "ok" : worst.where).toBe("ok");
  });
});

describe("the Check band of a cells-style workbook built by the add-in", () => {
  test.each(["encoder", "encoder-decoder"] as const)("%s: ATTN.* agree with the cell formulas to 1e-12, and with the model", (name) => {
    const preset = getPreset(name);
    const task = makeTask(preset.task, { seed: 1, ...preset.taskOptions });
    const config = configFor(preset, task);
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
    const checkBlocks = plan.sheets.flatMap((s) => s.blocks).filter((b) => b.key.startsWith("Check_Enc_H"));
    expect(checkBlocks.length).toBe(config.heads);
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
    const { plan } = await buildTrained({ preset: "encoder", task: "reverse", seed: 1, trainSteps: 0, sentence: ["a", "b", "c"] } as never);
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
  ])("%s typed into Softmax_On and Scaling_On: every block equals the model with those switches", (_, softmaxValue, scaledValue, softmax, scaled) => {
    const engine = new PlanEngine(build(false, false));
    engine.set("Softmax_On", 0, 0, softmaxValue);
    engine.set("Scaling_On", 0, 0, scaledValue);
    const want = build(softmax, scaled);
    for (const key of ["Enc_H1_Scores", "Enc_H1_Attn", "Enc_H1_Out", "Enc_Out", "Probs"]) {
      const expected = want.sheets.flatMap((s) => s.blocks).find((b) => b.key === key)!.values;
      const got = engine.values(key);
      const worst = Math.max(
        ...expected.flatMap((row, i) => row.map((v, j) => (typeof got[i][j] === "number" ? Math.abs((got[i][j] as number) - (v as number)) : Infinity))),
      );
      expect({ key, ok: worst <= 1e-9 }).toEqual({ key, ok: true });
    }
  });
});
