/**
 * "Explain this cell" against HyperFormula evaluating the exported plan: for
 * sample cells of every block of the encoder–decoder and gpt presets (and
 * the seed preset's live switches), in both formula styles, the explanation
 * names the block it is in, shows the value HyperFormula computes for that
 * cell, recomputes it from the inputs it lists, and lists as inputs only
 * cells the cell's formula refers to (in the cells style, exactly those for
 * the arithmetic blocks). The formulas are parsed here, in the test, as an
 * independent account of what each cell reads; the explainer never sees them.
 */
import { columnIndex } from "../src/sheet/a1";
import { Computes, isFormula, PlanBlock, PlanCell } from "../src/sheet/plan";

import type { FormulaStyle } from "../src/sheet/build";
import { Area, explainCell, needs, PlanIndex, tourStepOf } from "../src/taskpane/explain";
import { PRESET_NAMES, type PresetName } from "../src/model/presets";
import { tourSteps } from "../src/taskpane/tour";
import { setLanguage } from "../src/i18n";
import { initParams } from "../src/model/config";
import { getPreset } from "../src/model/presets";
import { buildWorkbookPlan } from "../src/sheet/build";
import { build } from "./support/builds";
import { PlanEngine } from "./support/engine";

/** Every cell a formula refers to, as "Sheet!row,col" (0-based); unqualified references are on `sheet`. */
function referencedCells(formula: string, sheet: string): Set<string> {
  const out = new Set<string>();
  const text = formula
    .split('"')
    .filter((_, k) => k % 2 === 0)
    .join('""');
  const ref = /(?:'((?:[^']|'')+)'!|([A-Za-z_][A-Za-z0-9_.]*)!)?\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?(?![A-Za-z0-9_(])/g;
  for (const m of text.matchAll(ref)) {
    const s = m[1] !== undefined ? m[1].replace(/''/g, "'") : (m[2] ?? sheet);
    const [c0, r0] = [columnIndex(m[3]), Number(m[4]) - 1];
    const [c1, r1] = m[5] ? [columnIndex(m[5]), Number(m[6]) - 1] : [c0, r0];
    for (let r = Math.min(r0, r1); r <= Math.max(r0, r1); r++)
      for (let c = Math.min(c0, c1); c <= Math.max(c0, c1); c++) out.add(`${s}!${r},${c}`);
  }
  return out;
}

function areaCells(a: Area): string[] {
  const out: string[] = [];
  for (let r = 0; r < a.rows; r++) for (let c = 0; c < a.cols; c++) out.push(`${a.sheet}!${a.top + r},${a.left + c}`);
  return out;
}

/** The formula that computes cell (i, j): its own, or in the functions style the spilling formula in the block's top-left cell. */
function formulaOf(b: PlanBlock, i: number, j: number): string | undefined {
  const own: PlanCell = b.cells[i][j];
  if (isFormula(own)) return own.formula;
  const top = b.cells[0][0];
  return own === null && isFormula(top) ? top.formula : undefined;
}

/** Ops whose per-cell formula reads exactly the inputs the explanation lists (the others look a word up in a whole column). */
const EXACT = new Set([
  "linear",
  "scores",
  "softmax",
  "weightedSum",
  "concat",
  "residual",
  "layerNorm",
  "hidden",
  "probs",
  "cumulative",
  "visible",
  "copy",
  "posEnc",
]);

const samples = (b: PlanBlock): [number, number][] => {
  const last: [number, number] = [b.rows - 1, b.cols - 1];
  const mid: [number, number] = [Math.floor(b.rows / 2), Math.floor(b.cols / 2)];
  return [[0, 0], mid, last, [b.rows - 1, 0], [Math.min(1, b.rows - 1), Math.min(1, b.cols - 1)]];
};

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

function check(name: PresetName, style: FormulaStyle, setUp: (e: PlanEngine) => void = () => {}): Set<string> {
  const built = build(name, 3, style);
  const engine = new PlanEngine(built.plan);
  setUp(engine);
  const x = new PlanIndex(built.plan);
  const steps = tourSteps(built.config);
  const read = (a: Area) => engine.area(a.sheet, a.top, a.left, a.rows, a.cols);
  const ops = new Set<string>();
  for (const sheet of built.plan.sheets) {
    for (const b of sheet.blocks) {
      if (!b.explain || b.rows === 0) continue;
      ops.add(b.explain.computes.op);
      checked.add(b.explain.computes.op);
      for (const [i, j] of samples(b)) {
        const at = x.at(b.sheet, b.top + i, b.left + j)!;
        expect(at.block.key).toBe(b.key);
        const listed = needs(x, at);
        const asked = new Set(listed.map((a) => JSON.stringify(a)));
        const e = explainCell(
          x,
          at,
          (a) => {
            // The explanation reads only what `needs` listed (one sync reads that list in Excel); labels of a chosen row may be absent.
            if (!asked.has(JSON.stringify(a)) && !(a.rows === 1 && a.cols === 1))
              throw new Error(`${b.key}: read ${JSON.stringify(a)} not in needs`);
            return read(a);
          },
          { steps },
        );
        const where = `${name} ${style} ${b.key}[${i},${j}]`;
        expect({ where, key: e.key, starts: e.where.startsWith(b.key) }).toEqual({ where, key: b.key, starts: true });
        const truth = engine.area(b.sheet, b.top + i, b.left + j, 1, 1)[0][0];
        expect({ where, value: e.value }).toEqual({ where, value: truth });
        if (e.recomputed !== undefined && typeof truth === "number") {
          if (!close(e.recomputed, truth)) throw new Error(`${where}: the explanation recomputes ${e.recomputed}, HyperFormula ${truth}`);
        }
        const formula = formulaOf(b, i, j);
        const inputs = e.inputs.flatMap((p) => areaCells(p.area));
        if (!formula) {
          if (b.explain.computes.op !== "tokens") expect({ where, inputs }).toEqual({ where, inputs: [] });
          continue;
        }
        const refs = referencedCells(formula, b.sheet);
        const outside = inputs.filter((c) => !refs.has(c));
        expect({ where, outside }).toEqual({ where, outside: [] });
        if (style === "cells" && EXACT.has(b.explain.computes.op)) {
          const missed = [...refs].filter((c) => !inputs.includes(c));
          expect({ where, missed }).toEqual({ where, missed: [] });
        }
      }
    }
  }
  return ops;
}

/** Every op of PlanBlock.explain: a Record, so that a new op fails to compile here until a sample of it is checked. */
const EVERY_OP: Record<Computes["op"], true> = {
  typed: true,
  vocabulary: true,
  weight: true,
  data: true,
  tokens: true,
  vocabRow: true,
  visible: true,
  posEnc: true,
  embed: true,
  linear: true,
  scores: true,
  softmax: true,
  weightedSum: true,
  concat: true,
  residual: true,
  layerNorm: true,
  hidden: true,
  probs: true,
  cumulative: true,
  argmax: true,
  choose: true,
  copy: true,
  text: true,
  log: true,
  check: true,
  maxDiff: true,
  readsAs: true,
  inputCheck: true,
};
const checked = new Set<string>();
afterAll(() => {
  // Only when every case ran (a filtered run checks less).
  if (checked.has("choose") && checked.has("argmax")) expect([...checked].sort()).toEqual(Object.keys(EVERY_OP).sort());
});

describe.each<FormulaStyle>(["cells", "functions"])("explanations (%s style)", (style) => {
  test("encoder-decoder: every block kind names its block, its value and its inputs", () => {
    const ops = check("encoder-decoder", style);
    for (const op of ["vocabulary", "weight", "data", "tokens", "vocabRow", "visible", "posEnc", "embed", "linear", "scores", "softmax"])
      expect(ops).toContain(op);
  });

  test("gpt: with sampling on, the chosen token, the cumulative sums and the temperature", () => {
    const ops = check("gpt", style, (e) => {
      e.set("Sampling_On", 0, 0, true);
      e.set("Temperature", 0, 0, 0.7);
    });
    for (const op of ["choose", "cumulative", "probs", "tokens", "scores", "softmax"]) expect(ops).toContain(op);
  });

  test("gpt, greedy", () => {
    check("gpt", style);
  });
});

test("seed preset: the live switches, on and off", () => {
  check("seed", "cells");
  check("seed", "cells", (e) => {
    e.set("Softmax_On", 0, 0, false);
    e.set("Scaling_On", 0, 0, false);
  });
});

test("a softmax cell in words: its block and entry by token, the numbers of its row, its inputs and its tour step", () => {
  const built = build("encoder-decoder", 3, "cells");
  const engine = new PlanEngine(built.plan);
  const x = new PlanIndex(built.plan);
  const attn = x.block("Enc_H1_Attn");
  const words = built.task.train[0].source;
  const at = x.at(attn.sheet, attn.top + 1, attn.left + 2)!;
  const e = explainCell(x, at, (a) => engine.area(a.sheet, a.top, a.left, a.rows, a.cols), { steps: tourSteps(built.config) });
  expect(e.where).toBe(`Enc_H1_Attn, row '${words[1]}', column '${words[2]}'`);
  // By hand from HyperFormula's row of scores: e^(s − max) / Σ e^(s_k − max) over the visible keys.
  const scores = x.block("Enc_H1_Scores");
  const row = engine.area(scores.sheet, scores.top + 1, scores.left, 1, scores.cols)[0] as number[];
  const visible = x.block("Key_Visible");
  const seen = (engine.area(visible.sheet, visible.top, visible.left, 1, visible.cols)[0] as number[]).map((v) => v === 1);
  const max = Math.max(...row.filter((_, k) => seen[k]));
  const two = (v: number) => `${v < 0 ? "−" : ""}${Math.abs(v).toFixed(2)}`;
  // Each term is one unbreakable piece (no-break spaces inside it), so a narrow pane wraps between terms, never inside one.
  const nb = "\u00a0";
  expect(e.what).toContain(`e^(${two(row[2])}${nb}−${nb}${two(max)}) / (`);
  expect(e.what).not.toMatch(/e\^\([^)]* /);
  const byHand = Math.exp(row[2] - max) / row.reduce((s, v, k) => s + (seen[k] ? Math.exp(v - max) : 0), 0);
  expect(e.what).toContain(`= ${two(byHand)}.`);
  expect(e.inputs.map((p) => p.label)).toEqual(["Enc_H1_Scores, row '" + words[1] + "'", "Key_Visible, the whole block"]);
  expect(e.tour?.title).toBe("Softmax");
  const q = explainCell(x, x.at(attn.sheet, x.block("Enc_H1_Scores").top + 1, x.block("Enc_H1_Scores").left + 2)!, (a) =>
    engine.area(a.sheet, a.top, a.left, a.rows, a.cols),
  );
  expect(q.inputs.map((p) => p.label)).toEqual([`Enc_H1_Q, row '${words[1]}'`, `Enc_H1_K, row '${words[2]}'`, `Key_Visible, column '3'`]);
  // A projection names X's row by its token and Wq's column by its own label.
  const qBlock = x.block("Enc_H1_Q");
  const proj = explainCell(x, x.at(qBlock.sheet, qBlock.top + 1, qBlock.left + 1)!, (a) =>
    engine.area(a.sheet, a.top, a.left, a.rows, a.cols),
  );
  expect(proj.what).toMatch(new RegExp(`^\\(X, row '${words[1]}'\\) · \\(Enc_H1_Wq, column 'k2'\\): `));
});

test("a weight says what training does, and its last gradient when there is one", () => {
  const built = build("gpt", 3, "cells");
  const engine = new PlanEngine(built.plan);
  const x = new PlanIndex(built.plan);
  const wq = x.block("Dec_H1_Wq");
  const at = x.at(wq.sheet, wq.top, wq.left)!;
  const read = (a: Area) => engine.area(a.sheet, a.top, a.left, a.rows, a.cols);
  const without = explainCell(x, at, read, { steps: tourSteps(built.config) });
  expect(without.training).toHaveLength(2);
  expect(without.training[1]).toMatch(/Train a step/);
  expect(without.tour?.title).toBe("Queries, keys and values");
  const withGradient = explainCell(x, at, read, { gradient: -0.0123 });
  expect(withGradient.training[1]).toContain("−0.01");
});

describe.each(["en", "es"] as const)("a repeated word (%s)", (lang) => {
  afterEach(() => setLanguage("en"));

  test("names its position in the entry and in the inputs, only where the word repeats within that axis", () => {
    setLanguage(lang);
    const built = build("encoder", 3, "cells");
    const engine = new PlanEngine(built.plan);
    const x = new PlanIndex(built.plan);
    const tokens = engine.values("Tokens")[0].map(String);
    // The encoder preset's first sentence repeats a word: find it from HyperFormula's Tokens, not from the explainer.
    const r = tokens.findIndex((w, k) => tokens.indexOf(w) !== k);
    const first = tokens.indexOf(tokens[r]);
    const once = tokens.findIndex((w) => tokens.indexOf(w) === tokens.lastIndexOf(w));
    expect(r).toBeGreaterThan(0);
    const [row, column] = lang === "en" ? ["row", "column"] : ["fila", "columna"];
    const read = (a: Area) => engine.area(a.sheet, a.top, a.left, a.rows, a.cols);
    const explainAt = (key: string, i: number, j: number) => {
      const b = x.block(key);
      const at = x.at(b.sheet, b.top + i, b.left + j)!;
      const asked = new Set(needs(x, at).map((a) => JSON.stringify(a)));
      return explainCell(x, at, (a) => {
        if (!asked.has(JSON.stringify(a))) throw new Error(`${key}: read ${JSON.stringify(a)} not in needs`);
        return read(a);
      });
    };
    const w = tokens[r];
    const attn = explainAt("Enc_H1_Attn", r, first);
    expect(attn.where).toBe(`Enc_H1_Attn, ${row} '${w} (${r + 1})', ${column} '${w} (${first + 1})'`);
    expect(attn.inputs[0].label).toBe(`Enc_H1_Scores, ${row} '${w} (${r + 1})'`);
    expect(explainAt("Enc_H1_Attn", first, once).where).toBe(`Enc_H1_Attn, ${row} '${w} (${first + 1})', ${column} '${tokens[once]}'`);
    const scores = explainAt("Enc_H1_Scores", once, r);
    expect(scores.where).toBe(`Enc_H1_Scores, ${row} '${tokens[once]}', ${column} '${w} (${r + 1})'`);
    expect(scores.inputs.slice(0, 2).map((p) => p.label)).toEqual([
      `Enc_H1_Q, ${row} '${tokens[once]}'`,
      `Enc_H1_K, ${row} '${w} (${r + 1})'`,
    ]);
    // A column label that does not repeat (Q's q1, q2, …) keeps its plain name.
    const q = explainAt("Enc_H1_Q", r, 1);
    expect(q.where).toBe(`Enc_H1_Q, ${row} '${w} (${r + 1})', ${column} 'q2'`);
  });
});

describe.each(PRESET_NAMES.flatMap((name) => [1, 2].map((layers) => ({ name, layers }))))(
  "every block of $name ($layers layer(s))",
  ({ name, layers }) => {
    test.each<FormulaStyle>(["cells", "functions"])("has an explanation and a tour step (%s style)", (style) => {
      const built = build(name, 3, style, { layers });
      const steps = tourSteps(built.config);
      const blocks = built.plan.sheets.flatMap((s) => s.blocks);
      const unexplained = blocks.filter((b) => !b.explain).map((b) => b.key);
      expect(unexplained).toEqual([]);
      // Check_Max_Diff sums up the Check band, which tests the cell formulas against the ATTN.* functions: it is no step of the
      // computation the tour walks through, and its explanation says all there is (each Check block goes with the step of the
      // block it checks).
      const untoured = blocks.filter((b) => b.explain && tourStepOf(steps, b) < 0).map((b) => b.key);
      expect(untoured).toEqual(blocks.some((b) => b.key === "Check_Max_Diff") ? ["Check_Max_Diff"] : []);
    });
  },
);

describe("the blocks around the model", () => {
  /** The plan of a build with more of the input (a log) or without the Check band. */
  const planWith = (built: ReturnType<typeof build>, more: Partial<Parameters<typeof buildWorkbookPlan>[0]>) =>
    buildWorkbookPlan({
      preset: built.name,
      description: getPreset(built.name).description,
      config: built.config,
      vocab: built.task.vocab,
      params: initParams(built.config, 3),
      sentence: built.task.train[0].source,
      examples: built.task.train.slice(0, 5),
      switches: built.name === "seed",
      ...more,
    });
  const explainer = (built: ReturnType<typeof build>, engine: PlanEngine) => {
    const x = new PlanIndex(built.plan);
    const steps = tourSteps(built.config);
    return (key: string, i = 0, j = 0) => {
      const b = x.block(key);
      return explainCell(x, x.at(b.sheet, b.top + i, b.left + j)!, (a) => engine.area(a.sheet, a.top, a.left, a.rows, a.cols), { steps });
    };
  };

  test("Translation and Generated: the words they join, up to </s>, with their cells as inputs and the output step", () => {
    for (const [name, key, words] of [
      ["encoder-decoder", "Translation", "Predicted"],
      ["gpt", "Generated", "Tokens"],
    ] as const) {
      const built = build(name, 3, "cells");
      const engine = new PlanEngine(built.plan);
      const explain = explainer(built, engine);
      const sentence = String(engine.values(key)[0][0]);
      expect(sentence.length).toBeGreaterThan(0);
      const e = explain(key);
      expect(e.what).toContain(`"${sentence}"`);
      expect(e.what).not.toContain("note explains");
      expect(e.inputs.map((p) => p.key)).toContain(words);
      expect(e.tour?.title).toBe("Output");
      // The Overview's copy points there.
      const copy = explain(`Overview_${key}`);
      expect(copy.inputs.map((p) => p.key)).toEqual([key]);
    }
  });

  test("a Train_Log row: which step, what the trainer wrote, and the loss chart", () => {
    const built = build("encoder", 3, "cells");
    const log = [
      { step: 1, loss: 2.5, accuracy: 0.25, seconds: 0.1 },
      { step: 2, loss: 2.3125, accuracy: 0.375, seconds: 0.12 },
    ];
    const plan = planWith(built, { log });
    const engine = new PlanEngine(plan);
    const explain = explainer({ ...built, plan }, engine);
    const loss = explain("Train_Log", 1, 1);
    expect(loss.where).toBe("Train_Log, row 2, column 'Loss'");
    expect(loss.what).toMatch(/step 2\b/);
    expect(loss.what).toContain("2.31");
    expect(loss.what).toMatch(/chart/);
    expect(loss.inputs).toEqual([]);
    expect(loss.tour?.title).toBe("Output");
    expect(explain("Train_Log", 0, 2).what).toContain("step 1");
    // Before any training, the row is empty and says so.
    const empty = explainer(built, new PlanEngine(built.plan))("Train_Log", 0, 1);
    expect(empty.what).toMatch(/[Tt]rain/);
    expect(empty.what).not.toContain("note explains");
  });

  test("a Check cell: the ATTN.* function, the blocks it reads, and the cell formulas' value beside it", () => {
    const built = build("encoder-decoder", 3, "cells");
    const engine = new PlanEngine(built.plan);
    const explain = explainer(built, engine);
    const e = explain("Check_Enc_H1_Out", 1, 1);
    expect(e.what).toContain("ATTN.HEAD");
    expect(e.inputs.map((p) => p.key)).toEqual(["X", "Enc_H1_Wq", "Enc_H1_Wk", "Enc_H1_Wv", "Key_Visible"]);
    const two = (v: number) => `${v < 0 ? "−" : ""}${Math.abs(v).toFixed(2)}`;
    expect(e.what).toContain(two(engine.values("Enc_H1_Out")[1][1] as number));
    const cross = explain("Check_Dec_Cross_H1_Out", 0, 0);
    expect(cross.inputs.map((p) => p.key)).toEqual([
      "Dec_LN1_Out",
      "Dec_Cross_H1_Wq",
      "Dec_Cross_H1_Wk",
      "Dec_Cross_H1_Wv",
      "Key_Visible",
      "Enc_Out",
    ]);
    // Its inputs are the pair that differs most, found here from HyperFormula's values of every Check block and its original.
    const pairs = built.plan.sheets
      .flatMap((sh) => sh.blocks)
      .filter((b) => b.key.startsWith("Check_") && b.key !== "Check_Max_Diff")
      .map((b) => {
        const [a, o] = [engine.values(b.key), engine.values(b.key.slice("Check_".length))];
        return {
          keys: [b.key, b.key.slice("Check_".length)],
          diff: Math.max(...a.flatMap((r, i) => r.map((v, j) => Math.abs(Number(v) - Number(o[i][j]))))),
        };
      });
    const worst = pairs.reduce((w, p) => (p.diff > w.diff ? p : w));
    const diff = explain("Check_Max_Diff");
    expect(diff.inputs.map((p) => p.key)).toEqual(worst.keys);
    expect(diff.what).toContain(`over ${pairs.length} checked blocks`);
  });

  test("a switch's 'reads as' cell and the input check say what they read", () => {
    // Without the Check band: HyperFormula cannot take MAX(ABS(a − b)) over blocks of #N/A that a bad switch value gives.
    const built = build("seed", 3, "cells");
    const seed = { ...built, plan: planWith(built, { check: false }) };
    const engine = new PlanEngine(seed.plan);
    engine.set("Softmax_On", 0, 0, "yes");
    const explain = explainer(seed, engine);
    const reads = explain("Softmax_Check");
    expect(reads.inputs.map((p) => p.key)).toEqual(["Softmax_On"]);
    expect(reads.what).toContain('"yes"');
    expect(reads.tour?.title).toBe("Softmax");
    engine.set("Tokens", 0, 1, "zzz");
    const check = explain("Input_Check");
    expect(String(check.value)).not.toBe("OK");
    expect(check.what).toContain('"zzz"');
    expect(check.inputs.map((p) => p.key)).toEqual(["Tokens", "Token_Ids"]);
    expect(explain("Output_Check").inputs.map((p) => p.key)).toEqual(["Input_Check"]);
  });
});
