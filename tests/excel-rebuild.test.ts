/**
 * After any number of builds, each build's sheets compute from their own
 * blocks (issue 9, section 1). Excel resolves a name in a formula by its
 * text when it calculates, so a formula over a name would follow the name
 * to the newest build; the fake's workbook is evaluated in HyperFormula with
 * names resolved that way (tests/support/fake-engine.ts).
 */
import type { ApplyReport } from "../src/excel/apply";
import type { FormulaStyle } from "../src/sheet/build";
import { apply, build, Built } from "./support/builds";
import { FakeEngine } from "./support/fake-engine";
import { FakeExcel } from "./support/fake-excel";

/** The worst relative difference between the evaluated blocks of one build and its model's values, with where. */
function worst(engine: FakeEngine, b: Built, report: ApplyReport): { diff: number; where: string } {
  const actual = new Map(report.sheets.map((s) => [s.planned, s.actual]));
  let out = { diff: 0, where: "" };
  for (const s of b.plan.sheets) {
    for (const blk of s.blocks) {
      if (blk.role === "log" || blk.key === "Check_Max_Diff") continue;
      const got = engine.values(actual.get(s.name)!, blk.top, blk.left, blk.rows, blk.cols);
      blk.values.forEach((row, i) =>
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
          if (diff > out.diff)
            out = {
              diff,
              where: `${actual.get(s.name)}: ${blk.key}[${i + 1},${j + 1}] ${JSON.stringify(v)} vs the model's ${JSON.stringify(want)}`,
            };
        }),
      );
    }
  }
  return out;
}

describe.each(["functions", "cells"] as FormulaStyle[])("three builds in the %s style (with the Check band)", (style) => {
  test("every build's blocks still equal its own model's forward pass", async () => {
    const fake = new FakeExcel();
    const builds = [build("encoder", 3, style), build("encoder", 5, style), build("seed", 7, style)];
    const reports: ApplyReport[] = [];
    for (const b of builds) reports.push(await apply(fake, b));
    const engine = new FakeEngine(fake);
    builds.forEach((b, k) => {
      const w = worst(engine, b, reports[k]);
      expect({ build: k + 1, result: w.diff <= 1e-9 ? "ok" : w.where }).toEqual({ build: k + 1, result: "ok" });
    });
    if (style === "functions") return;
    // The Check band (cells style only) of each build compares that build's own blocks.
    builds.forEach((b, k) => {
      const check = b.plan.sheets.flatMap((s) => s.blocks).find((x) => x.key === "Check_Max_Diff");
      if (!check) return;
      const sheet = reports[k].sheets.find((s) => s.planned === "Encoder")!.actual;
      expect(engine.values(sheet, check.top, check.left, 1, 1)[0][0]).toBeLessThan(1e-12);
    });
  });
});
