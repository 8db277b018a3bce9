/**
 * The layer sheets lead with what a learner looks for (docs/architecture.md, "The sheet builders"): each head's
 * attention weights beside its scores, then Wq, Wk, Wv, then Q, K, V and the head output; the parameters that
 * come after the heads in the layer (Wo, the norms, the FFN) lie below every pattern computed before them.
 * The sheets and the blocks' names are written out from docs/architecture.md ("Named ranges", "Stacks and
 * decoder-only models"), not from the code.
 */
import type { ModelKind } from "../src/model/architecture";
import { getPreset, PRESET_NAMES, PresetName } from "../src/model/presets";
import type { FormulaStyle } from "../src/sheet/build";
import type { PlanBlock, PlanSheet } from "../src/sheet/plan";
import { build } from "./support/builds";

/** One step of a layer, in the order it computes: an attention block (its prefix) or a norm or FFN (its parameters). */
type Step = { attention: string } | { params: string[] };

const norm = (layer: string, k: number): Step => ({ params: [`${layer}_LN${k}_Gamma`, `${layer}_LN${k}_Beta`] });
const ffn = (layer: string): Step => ({ params: ["W1", "B1", "W2", "B2"].map((p) => `${layer}_FF_${p}`) });

/** Layer k of a stack: `Enc`, `Enc2`, `Dec`, `Dec2`; its sheet `Encoder`, `Encoder 2`, `Decoder`, `Decoder 2`. */
const layerName = (stack: "Enc" | "Dec", k: number): string => (k === 1 ? stack : `${stack}${k}`);
const sheetName = (stack: "Enc" | "Dec", k: number): string => `${stack === "Enc" ? "Encoder" : "Decoder"}${k === 1 ? "" : ` ${k}`}`;

/** Post-LN encoder: MHA, LN1, FFN, LN2. */
const encoderSteps = (l: string): Step[] => [{ attention: l }, norm(l, 1), ffn(l), norm(l, 2)];
/** Decoder of an encoder–decoder: masked self-attention, LN1, cross-attention, LN2, FFN, LN3. */
const decoderSteps = (l: string): Step[] => [
  { attention: `${l}_Self` },
  norm(l, 1),
  { attention: `${l}_Cross` },
  norm(l, 2),
  ffn(l),
  norm(l, 3),
];
/** Decoder-only (GPT-1): masked self-attention, LN1, FFN, LN2. */
const gptSteps = encoderSteps;

function layerSheets(kind: ModelKind, layers: number): { sheet: string; steps: Step[] }[] {
  const ks = Array.from({ length: layers }, (_, i) => i + 1);
  const enc = ks.map((k) => ({ sheet: sheetName("Enc", k), steps: encoderSteps(layerName("Enc", k)) }));
  const dec = ks.map((k) => ({ sheet: sheetName("Dec", k), steps: decoderSteps(layerName("Dec", k)) }));
  const gpt = ks.map((k) => ({ sheet: sheetName("Dec", k), steps: gptSteps(layerName("Dec", k)) }));
  return { encoder: enc, "encoder-decoder": [...enc, ...dec], "decoder-only": gpt }[kind];
}

const bottom = (b: PlanBlock): number => b.top + b.rows;
const overlaps = (a: PlanBlock, top: number, rows: number, left: number, cols: number): boolean =>
  a.top < top + rows && top < a.top + a.rows && a.left < left + cols && left < a.left + a.cols;

const CASES = PRESET_NAMES.flatMap((name) => [1, 2].map((layers) => ({ name, layers })));

describe.each(CASES)("the $name preset with $layers layer(s)", ({ name, layers }: { name: PresetName; layers: number }) => {
  test.each<FormulaStyle>(["cells", "functions"])("in the %s style, each layer sheet leads with the attention patterns", (style) => {
    const { plan, config } = build(name, 3, style, { layers });
    const sheets = layerSheets(getPreset(name).kind, layers);
    expect(plan.sheets.map((s) => s.name)).toEqual(expect.arrayContaining(sheets.map((s) => s.sheet)));
    let heads = 0;
    for (const { sheet, steps } of sheets) {
      const s: PlanSheet = plan.sheets.find((x) => x.name === sheet)!;
      const block = (key: string): PlanBlock => {
        const found = s.blocks.filter((b) => b.key === key);
        expect([key, found.length, found[0]?.named]).toEqual([key, 1, true]);
        return found[0];
      };
      const patterns: PlanBlock[] = [];
      const params: PlanBlock[] = [];
      /** Each parameter must lie wholly below every pattern computed before it. */
      const belowPatterns = (p: PlanBlock): void => {
        const above = patterns.filter((a) => p.top < bottom(a)).map((a) => a.key);
        expect([p.key, above]).toEqual([p.key, []]);
      };
      for (const step of steps) {
        if ("params" in step) {
          for (const p of step.params.map(block)) {
            belowPatterns(p);
            params.push(p);
          }
          continue;
        }
        let previous: PlanBlock | undefined;
        for (let h = 1; h <= config.heads; h++) {
          const head = (part: string): PlanBlock => block(`${step.attention}_H${h}_${part}`);
          const [attn, scores] = [head("Attn"), head("Scores")];
          // Side by side, the pattern first, on the same rows, with no other block between them.
          expect([attn.key, attn.top, attn.rows]).toEqual([attn.key, scores.top, scores.rows]);
          expect(attn.left + attn.cols).toBeLessThan(scores.left);
          const between = s.blocks.filter(
            (b) => b !== attn && b !== scores && overlaps(b, attn.top, attn.rows, attn.left, scores.left + scores.cols - attn.left),
          );
          expect(between.map((b) => b.key)).toEqual([]);
          // The head starts below the one before it.
          if (previous) expect([attn.key, attn.top >= bottom(previous)]).toEqual([attn.key, true]);
          patterns.push(attn);
          const weights = ["Wq", "Wk", "Wv"].map(head);
          for (const w of weights) belowPatterns(w);
          params.push(...weights);
          // Then the projections and the head output, below the weights.
          const computed = ["Q", "K", "V", "Out"].map(head);
          const lowest = Math.max(...weights.map(bottom));
          expect(computed.filter((c) => c.top < lowest).map((c) => c.key)).toEqual([]);
          previous = computed.reduce((a, b) => (bottom(b) > bottom(a) ? b : a));
          heads++;
        }
        const wo = block(`${step.attention}_Wo`);
        belowPatterns(wo);
        params.push(wo);
      }
      // The sheet opens on a pattern: nothing above the first one is a parameter of the layer.
      const first = Math.min(...patterns.map((p) => p.top));
      expect([sheet, params.filter((p) => p.top <= first).map((p) => p.key)]).toEqual([sheet, []]);
      expect([sheet, s.blocks.filter((b) => b.role === "weight" && !params.includes(b)).map((b) => b.key)]).toEqual([sheet, []]);
    }
    const blocksPerLayer = { encoder: 1, "encoder-decoder": 3, "decoder-only": 1 }[getPreset(name).kind];
    expect(heads).toBe(blocksPerLayer * layers * config.heads);
  });
});
