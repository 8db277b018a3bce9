/**
 * The Spanish export, recalculated by LibreOffice from stale cached values:
 * every cell of every block (titles, labels, data) comes back as the Spanish
 * plan has it, so the Spanish texts inside formulas (the input check, the
 * switches' checks) compute, and every number equals the English plan's,
 * which tests/libreoffice.test.ts checks against the model.
 */
import fs from "fs";
import os from "os";
import path from "path";
import { writePlanXlsx } from "../src/cli/xlsx";
import { initParams } from "../src/model/config";
import { configFor, getPreset, type PresetName } from "../src/model/presets";
import { makeTask } from "../src/model/tasks";
import { buildWorkbookPlan } from "../src/sheet/build";
import type { Lang } from "../src/i18n";
import type { WorkbookPlan } from "../src/sheet/plan";
import { LibreOfficeProfile, RecalculatedWorkbook, compare, libreOfficeVersion, same, withStaleCache } from "./support/libreoffice";

const PRESETS: PresetName[] = ["seed", "encoder-decoder", "gpt"];

function plan(name: PresetName, lang: Lang): WorkbookPlan {
  const preset = getPreset(name);
  const task = makeTask(preset.task, { seed: 1, ...preset.taskOptions });
  const config = configFor(preset, task);
  return buildWorkbookPlan({
    preset: name,
    description: preset.description,
    config,
    vocab: task.vocab,
    params: initParams(config, 2),
    sentence: task.text ? task.train[0].source.slice(0, 3) : task.train[0].source,
    examples: task.train.slice(0, 8),
    switches: name === "seed",
    lang,
  });
}

describe("the Spanish workbook in LibreOffice", () => {
  let profile: LibreOfficeProfile;
  let dir: string;
  const books = new Map<PresetName, RecalculatedWorkbook>();

  beforeAll(async () => {
    libreOfficeVersion();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "attention-lab-es-"));
    profile = new LibreOfficeProfile();
    const files: string[] = [];
    for (const name of PRESETS) {
      const file = path.join(dir, `${name}-es.xlsx`);
      await writePlanXlsx(withStaleCache(plan(name, "es")), file);
      files.push(file);
    }
    const out = profile.convert(files, path.join(dir, "recalculated"));
    for (const [k, name] of PRESETS.entries()) books.set(name, await RecalculatedWorkbook.read(out[k]));
  }, 600_000);

  afterAll(() => {
    profile?.dispose();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test.each(PRESETS.map((p) => [p]))("%s: every block as the Spanish plan has it, with the English plan's numbers", (name) => {
    const es = plan(name, "es");
    const en = plan(name, "en");
    const wb = books.get(name)!;
    expect(compare(es, wb).mismatches.slice(0, 10)).toEqual([]);
    // Every block's data area holds the English plan's values: only titles, labels and notes are Spanish.
    const differ = en.sheets
      .flatMap((sheet) => sheet.blocks)
      .flatMap((b) => {
        const got = wb.values(b.sheet, b.top, b.left, b.rows, b.cols);
        return b.values.flatMap((row, i) => row.flatMap((v, j) => (same(got[i][j], v) ? [] : [`${b.key}[${i},${j}]`])));
      });
    expect(differ.slice(0, 10)).toEqual([]);
    expect(wb.errors()).toEqual([]);
  });
});
