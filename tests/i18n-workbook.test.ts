/**
 * `--lang es` (a plan's `lang`): the same workbook in Spanish. Every preset's
 * Spanish plan has the English plan's sheets, names, blocks, formulas and
 * numbers; only the texts differ, and they are the Spanish table's. The
 * .xlsx files, read back with ExcelJS, hold the same number in every cell,
 * and HyperFormula computes the same values from the Spanish formulas.
 */
import ExcelJS from "exceljs";
import { es } from "../src/i18n/es";
import { language } from "../src/i18n";
import { planXlsxBuffer } from "../src/cli/xlsx";
import { parseWorkbookArgs, type WorkbookOptions } from "../src/cli/workbook-args";
import { buildTrained } from "../src/cli/workbook";
import { initParams } from "../src/model/config";
import { configFor, getPreset, PRESET_NAMES, PresetName } from "../src/model/presets";
import { makeTask } from "../src/model/tasks";
import { buildWorkbookPlan, FormulaStyle } from "../src/sheet/build";
import { isFormula, PlanBlock, PlanCell, WorkbookPlan } from "../src/sheet/plan";
import type { Lang } from "../src/i18n";
import { PlanEngine } from "./support/engine";
import { readsAsEnglish } from "./support/english-sieve";

function plan(name: PresetName, lang: Lang, style: FormulaStyle = "cells", layers?: number, check = style === "cells"): WorkbookPlan {
  const preset = getPreset(name);
  const task = makeTask(preset.task, { seed: 1, ...preset.taskOptions });
  const config = configFor(preset, task, { layers });
  return buildWorkbookPlan({
    preset: name,
    description: preset.description,
    config,
    vocab: task.vocab,
    params: initParams(config, 3),
    sentence: task.text ? task.train[0].source.slice(0, 3) : task.train[0].source,
    examples: task.train.slice(0, 12),
    log: [{ step: 1, loss: 2.5, accuracy: 0.25, seconds: 0.1 }],
    switches: name === "seed",
    style,
    check,
    lang,
  });
}

/** A formula with the text inside its string literals left out: what must not change with the language. */
const withoutTexts = (c: PlanCell): PlanCell => (isFormula(c) ? { formula: c.formula.replace(/"[^"]*"/g, '""') } : c);

const blocks = (p: WorkbookPlan): PlanBlock[] => p.sheets.flatMap((s) => s.blocks);

/** A symbol or a name as a title (Wo, W1, Out_W, Logits, Tokens, Vocab …): the same in both languages. */
const SYMBOL = /^[A-Za-z_0-9]+$/;

const cases: [PresetName, FormulaStyle, number | undefined][] = [
  ...PRESET_NAMES.map((n): [PresetName, FormulaStyle, undefined] => [n, "cells", undefined]),
  ["encoder-decoder", "functions", undefined],
  ["gpt", "cells", 2],
];

describe.each(cases)("%s (%s formulas, layers %s) in Spanish", (name, style, layers) => {
  const enPlan = plan(name, "en", style, layers);
  const esPlan = plan(name, "es", style, layers);

  test("the same sheets, names, blocks, places, formulas and values: only texts change", () => {
    expect(esPlan.sheets.map((s) => s.name)).toEqual(enPlan.sheets.map((s) => s.name));
    expect(esPlan.names).toEqual(enPlan.names);
    const en = blocks(enPlan);
    const sp = blocks(esPlan);
    expect(sp.map((b) => [b.key, b.sheet, b.top, b.left, b.rows, b.cols, b.role])).toEqual(
      en.map((b) => [b.key, b.sheet, b.top, b.left, b.rows, b.cols, b.role]),
    );
    sp.forEach((b, i) => {
      expect([b.key, b.values]).toEqual([b.key, en[i].values]);
      expect([b.key, b.cells.map((r) => r.map(withoutTexts))]).toEqual([b.key, en[i].cells.map((r) => r.map(withoutTexts))]);
      expect([b.key, b.rowLabels, b.colLabels?.length]).toEqual([b.key, en[i].rowLabels, en[i].colLabels?.length]);
    });
    expect(esPlan.sheets.map((s) => s.charts.map((c) => [c.top, c.left, c.categories, c.series.map((x) => x.values)]))).toEqual(
      enPlan.sheets.map((s) => s.charts.map((c) => [c.top, c.left, c.categories, c.series.map((x) => x.values)])),
    );
  });

  test("every note, every title that is not a symbol, every sheet's purpose and every Guide line is in Spanish", () => {
    const en = blocks(enPlan);
    const sp = blocks(esPlan);
    const untranslated = sp.flatMap((b, i) => [
      ...(b.note === en[i].note ? [`${b.key} note`] : []),
      ...(b.title === en[i].title && !SYMBOL.test(b.title) ? [`${b.key} title: ${b.title}`] : []),
    ]);
    expect(untranslated).toEqual([]);
    esPlan.sheets.forEach((s, i) => {
      expect(s.purpose).not.toBe(enPlan.sheets[i].purpose);
      const enTexts = enPlan.sheets[i].texts;
      // The sheet's heading is its name; every other line is prose.
      s.texts.slice(1).forEach((x, j) => expect([s.name, x.text]).not.toEqual([s.name, enTexts[j + 1].text]));
    });
    const guide = esPlan.sheets[0].texts.map((x) => x.text);
    expect(guide).toContain(es.sheet.guide.play);
    expect(guide).toContain(es.sheet.guide.sheets);
    expect(guide).toContain(getPreset(name).kind === "decoder-only" ? es.notes.guideGenerate[0] : es.notes.guide[0]);
    expect(guide).toContain(`Attention Lab — configuración "${name}": ${es.presetDescription(name)}`);
    expect(language()).toBe("en");
  });

  test("no Spanish text reads as English: none has the English words a sentence cannot do without", () => {
    const texts = (p: WorkbookPlan) => [
      ...blocks(p).flatMap((b) => [b.title, b.note]),
      ...p.sheets.flatMap((s) => [s.purpose, ...s.texts.slice(1).map((x) => x.text)]),
    ];
    expect(texts(esPlan).filter(readsAsEnglish)).toEqual([]);
    // The same sieve on the English workbook catches a good share of its texts (titles are mostly short names): it can fail.
    expect(texts(enPlan).filter(readsAsEnglish).length).toBeGreaterThan(texts(enPlan).length / 3);
  });

  test("a few blocks carry the table's Spanish title and note", () => {
    const byKey = new Map(blocks(esPlan).map((b) => [b.key, b]));
    const attn = [...byKey.keys()].find((k) => /^(Enc|Dec|Dec_Self)_H1_Attn$/.test(k))!;
    expect(byKey.get(attn)!.title).toBe(es.sheet.headAttn(1));
    expect(byKey.get("Embedding")!.title).toBe("Embedding E (una fila por palabra)");
    expect(byKey.get("Embedding")!.note).toBe(es.notes.embedding);
    expect(byKey.get("PosEnc")!.title).toBe("Codificación posicional PE");
    expect(byKey.get("Probs")!.note).toMatch(/probabilidad/);
    expect(byKey.get("Train_Log")!.colLabels!.map((l) => l.value)).toEqual(["Paso", "Pérdida", "Exactitud", "Segundos"]);
  });
});

/** Every cell of a file as [sheet!address, value, formula without its texts]. */
async function cells(plan: WorkbookPlan): Promise<Map<string, { value: unknown; formula?: string }>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await planXlsxBuffer(plan)) as unknown as ArrayBuffer);
  const out = new Map<string, { value: unknown; formula?: string }>();
  wb.eachSheet((ws) =>
    ws.eachRow((row) =>
      row.eachCell((cell) => {
        const v = cell.value as unknown;
        const f = v && typeof v === "object" && "formula" in v ? (v as { formula: string; result?: unknown }) : undefined;
        out.set(`${ws.name}!${cell.address}`, f ? { value: f.result, formula: f.formula.replace(/"[^"]*"/g, '""') } : { value: v });
      }),
    ),
  );
  return out;
}

describe("the .xlsx files", () => {
  test.each(PRESET_NAMES.map((n) => [n]))("%s: every number of the English file is in the same cell of the Spanish one", async (name) => {
    const en = await cells(plan(name, "en"));
    const sp = await cells(plan(name, "es"));
    expect([...sp.keys()].sort()).toEqual([...en.keys()].sort());
    let numbers = 0;
    for (const [at, c] of en) {
      const s = sp.get(at)!;
      expect([at, s.formula]).toEqual([at, c.formula]);
      if (typeof c.value === "number") {
        numbers += 1;
        expect([at, s.value]).toEqual([at, c.value]);
      }
    }
    // The files are full of numbers: a comparison of a handful would prove little.
    expect(numbers).toBeGreaterThan(500);
  });
});

describe("HyperFormula computes the Spanish formulas", () => {
  test.each([["seed"], ["encoder-decoder"]] as [PresetName][])("%s: the same value in every block, and the Spanish input check", (name) => {
    // No Check band: HyperFormula cannot recompute its MAX(ABS(range-range)) after an edit ("Unknown array").
    const en = new PlanEngine(plan(name, "en", "cells", undefined, false));
    const sp = new PlanEngine(plan(name, "es", "cells", undefined, false));
    for (const b of blocks(sp.plan)) expect([b.key, sp.values(b.key)]).toEqual([b.key, en.values(b.key)]);
    expect(sp.errors()).toEqual(en.errors());
    const tokens = sp.block("Tokens");
    for (let j = 0; j < tokens.cols; j++) sp.set("Tokens", 0, j, null);
    expect(sp.values("Input_Check")).toEqual([[es.sheet.inputEmpty]]);
    if (name === "seed") {
      sp.set("Softmax_On", 0, 0, "sí");
      expect(sp.values("Softmax_Check")).toEqual([[`⚠ "sí"${es.sheet.notASwitch}`]]);
    }
  });
});

describe("npm run workbook -- --lang es", () => {
  test("the CLI's plan is the Spanish one, with the numbers of the English one", async () => {
    const args = ["--preset", "encoder", "--train-steps", "3"];
    const en = await buildTrained(parseWorkbookArgs(args) as WorkbookOptions);
    const sp = await buildTrained(parseWorkbookArgs([...args, "--lang", "es"]) as WorkbookOptions);
    // The log's seconds are the runs' own times; every other number is the same.
    const numbers = (p: WorkbookPlan) => blocks(p).map((b) => (b.key === "Train_Log" ? b.values.map((r) => r.slice(0, 3)) : b.values));
    expect(numbers(sp.plan)).toEqual(numbers(en.plan));
    expect(sp.plan.sheets[0].texts.map((x) => x.text)).toContain(es.sheet.guide.play);
    expect(blocks(sp.plan).find((b) => b.key === "Enc_H1_Attn")!.note).toBe(es.notes.attn);
  });
});
