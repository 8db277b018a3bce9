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
import { PlanEngine } from "./support/engine";

describe.each(["seed", "encoder", "encoder-decoder"] as const)("the %s workbook in the functions style", (name: PresetName) => {
  const preset = getPreset(name);
  const task = makeTask(preset.task, { seed: 1, ...preset.taskOptions });
  const config = configFor(preset, task);
  const params = initParams(config, 9);
  const sentence = task.train[2].source.slice(0, Math.max(1, task.train[2].source.length - 2)); // padded
  const plan = buildWorkbookPlan({ preset: name, description: preset.description, config, vocab: task.vocab, params, sentence, examples: task.train.slice(0, 5), switches: name === "seed", style: "functions" });
  const blocks = plan.sheets.flatMap((s) => s.blocks);

  test("the layers' blocks are single spilling formulas over named ranges", () => {
    for (const key of ["Enc_H1_Q", "Enc_H1_Scores", "Enc_H1_Attn", "Enc_H1_Out", "Enc_MHA", "Enc_LN1_Out", "Enc_FF_Hidden", "Enc_FF_Out", "Enc_Out", "Logits", "Probs", "Predicted"]) {
      const b = blocks.find((x) => x.key === key)!;
      const formulas = b.cells.flat().filter(isFormula);
      expect({ key, formulas: formulas.length }).toEqual({ key, formulas: 1 });
      expect(b.cells[0][0]).toEqual(expect.objectContaining({ formula: expect.not.stringMatching(/\$[A-Z]+\$[0-9]+/) }));
    }
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
          const diff = typeof want === "number" ? (typeof v === "number" ? Math.abs(v - want) / Math.max(1, Math.abs(want)) : Infinity) : v === want || (want === null && v === null) ? 0 : Infinity;
          if (diff > worst.diff) worst = { diff, where: `${b.key}[${i + 1},${j + 1}] engine ${JSON.stringify(v)} model ${JSON.stringify(want)}` };
        }),
      );
    }
    expect(worst.diff <= 1e-9 ? "ok" : worst.where).toBe("ok");
  });
});
