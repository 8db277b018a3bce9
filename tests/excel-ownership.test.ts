/**
 * Build never clears, hides or renames a sheet it did not create, and never
 * changes a workbook name it did not create (issue 9, section 1). The
 * settings sheet is ours only when it is very hidden, which the Excel UI
 * cannot do ("the user cannot make the object visible": XlSheetVisibility,
 * learn.microsoft.com/office/vba/api/excel.xlsheetvisibility), and starts
 * with our format row.
 */
import { META_SHEET, readMeta } from "../src/excel/meta";
import { Controller } from "../src/taskpane/controller";
import { ExcelHost } from "../src/taskpane/host";
import { apply, build } from "./support/builds";
import { FakeExcel } from "./support/fake-excel";

const snapshot = (fake: FakeExcel, sheet: string) => {
  const s = fake.sheet(sheet)!;
  return JSON.stringify({ name: s.name, visibility: s.visibility, cells: [...s.cells] });
};

describe("a user's own sheet named like the settings sheet", () => {
  test.each(["AttentionLab", "attentionlab", "ATTENTIONLAB"])(
    "%s, visible, is left as it is; the settings go to a free name, very hidden",
    async (name) => {
      const fake = new FakeExcel();
      fake.addSheet(name, { A1: "my budget", B2: 42, C3: "=B2*2" });
      const before = snapshot(fake, name);
      const b = build("encoder");
      const report = await apply(fake, b);
      expect(snapshot(fake, name)).toBe(before);
      const settings = fake.sheets.filter((s) => s.visibility === "VeryHidden");
      expect(settings.map((s) => s.name)).toEqual([`${META_SHEET} (2)`]);
      expect((await readMeta(fake.context()))?.preset).toBe("encoder");
      expect(report.warnings.join("\n")).toMatch(/already has a sheet named "AttentionLab".*"AttentionLab \(2\)"/i);
    },
  );

  test("a hidden sheet of the user's that even holds our format row is not ours: untouched", async () => {
    const fake = new FakeExcel();
    const user = fake.addSheet(META_SHEET, { A1: "format", B1: "attention-lab/1", A2: "preset", B2: "mine" });
    user.visibility = "Hidden";
    const before = snapshot(fake, META_SHEET);
    await apply(fake, build("seed"));
    expect(snapshot(fake, META_SHEET)).toBe(before);
    expect((await readMeta(fake.context()))?.preset).toBe("seed");
  });

  test("readMeta: a user's AttentionLab sheet is not a model (no error, nothing found)", async () => {
    const fake = new FakeExcel();
    fake.addSheet(META_SHEET, { A1: "shopping", B1: "list" });
    expect(await readMeta(fake.context())).toBeUndefined();
  });

  test("building again reuses our settings sheet (found by its marker, not its name) and still leaves the user's alone", async () => {
    const fake = new FakeExcel();
    fake.addSheet("AttentionLab", { A1: "keep me" });
    const before = snapshot(fake, "AttentionLab");
    await apply(fake, build("encoder"));
    await apply(fake, build("seed"));
    expect(snapshot(fake, "AttentionLab")).toBe(before);
    expect(fake.sheets.filter((s) => s.visibility === "VeryHidden").map((s) => s.name)).toEqual([`${META_SHEET} (2)`]);
    const meta = await readMeta(fake.context());
    expect(meta?.preset).toBe("seed");
    expect(meta?.sheets.Input).toBe("Input (2)");
  });

  test("the settings list every sheet the add-in created, over every build", async () => {
    const fake = new FakeExcel();
    fake.addSheet("Input");
    const first = await apply(fake, build("seed"));
    const second = await apply(fake, build("seed"));
    const created = ((await readMeta(fake.context())) as { created?: { sheets: string[] } } | undefined)?.created;
    const made = [...first.sheets, ...second.sheets].map((s) => s.actual);
    expect(created?.sheets).toEqual(expect.arrayContaining([...made, META_SHEET]));
    expect(created?.sheets).not.toContain("Input");
  });
});

describe("a user's own names that one of our blocks would take", () => {
  const userWorkbook = (): FakeExcel => {
    const fake = new FakeExcel();
    fake.addSheet("Mine", { A1: 1, A2: 2, A3: 3, B1: "=SUM(X)", C1: "=SUM(Tokens)" });
    fake.addName("X", "Mine", "A1:A3");
    fake.addName("tokens", "Mine", "A1:A2");
    fake.addName("Tokens_AL", "Mine", "A3");
    return fake;
  };

  test("are never changed; our blocks get the suffixed names, recorded in the settings, and the report says so", async () => {
    const fake = userWorkbook();
    const b = build("encoder");
    const report = await apply(fake, b);
    expect(fake.nameRef("X")).toBe("Mine!$A$1:$A$3");
    expect(fake.nameRef("tokens")).toBe("Mine!$A$1:$A$2");
    expect(fake.nameRef("Tokens_AL")).toBe("Mine!$A$3");
    expect(fake.nameModels.get("x")?.name).toBe("X");
    expect(fake.cell("Mine", "B1")?.formula).toBe("SUM(X)");
    expect(report.names.X).toBe("X_AL");
    expect(report.names.Tokens).toBe("Tokens_AL2");
    expect(report.names.Enc_H1_Wq).toBe("Enc_H1_Wq");
    const x = b.plan.names.find((n) => n.name === "X")!;
    expect(fake.nameRef("X_AL")).toBe(`Input!${x.range}`);
    expect(report.warnings).toContain(
      "Your workbook already has the names Tokens, X; this build's blocks are named Tokens_AL2, X_AL instead (the suffix _AL), and your names are unchanged.",
    );
    const meta = await readMeta(fake.context());
    expect(meta?.names?.X).toBe("X_AL");
    expect(meta?.created?.names).toContain("X_AL");
    expect(meta?.created?.names).not.toContain("X");
  });

  test("a second build re-points the names the first one made (ours), and still not the user's", async () => {
    const fake = userWorkbook();
    await apply(fake, build("encoder"));
    const b = build("encoder", 5);
    const report = await apply(fake, b);
    expect(report.names.X).toBe("X_AL");
    expect(fake.nameRef("X_AL")).toMatch(/^'Input \(2\)'!/);
    expect(fake.nameRef("Enc_H1_Wq")).toMatch(/^'Encoder \(2\)'!/);
    expect(fake.nameRef("X")).toBe("Mine!$A$1:$A$3");
    expect(fake.nameRef("X_AL2")).toBeUndefined();
    expect(report.warnings.some((w) => /named ranges from an earlier build/.test(w))).toBe(true);
  });

  test("in a workbook built before names were recorded, the names pointing into the recorded sheets are ours", async () => {
    const fake = new FakeExcel();
    const b = build("seed");
    await apply(fake, b);
    // What a build of the earlier version left: settings without the names it made.
    const settings = fake.sheet(META_SHEET)!;
    for (const [k, c] of settings.cells)
      if (c.value === "names" || c.value === "created") for (let j = 0; j < 10; j++) settings.cells.delete(`${k.split(",")[0]},${j}`);
    fake.addSheet("Mine", { A1: 1 });
    fake.addName("Mine_Total", "Mine", "A1");
    const report = await apply(fake, b);
    expect(report.names.X).toBe("X");
    expect(fake.nameRef("X")).toMatch(/^'Input \(2\)'!/);
    expect(fake.nameRef("Mine_Total")).toBe("Mine!$A$1");
  });
});

describe("the pane in a workbook whose user has names like ours", () => {
  const taken = ["Embedding", "Enc_H1_Wq", "Data_Source", "Data_Target", "Train_Log", "Probs", "Grad_Out_W"];

  test("Build, training, the log, the gradients and the tour all go through our own names; the user's names and cells are unchanged", async () => {
    const fake = new FakeExcel();
    const cells: Record<string, number> = {};
    taken.forEach((_, k) => (cells[`A${k + 1}`] = k + 1));
    fake.addSheet("Mine", cells);
    taken.forEach((n, k) => fake.addName(n, "Mine", `A${k + 1}`));
    const before = JSON.stringify({ names: taken.map((n) => fake.nameRef(n)), cells: [...fake.sheet("Mine")!.cells] });
    const pane = new Controller(new ExcelHost(fake.run, fake.requirements), { writeEvery: 5 });
    await pane.start();
    await pane.build({ preset: "encoder", task: "reverse", sentence: "", dModel: "16", heads: "2", dK: "8", seed: "1", style: "cells" });
    expect(pane.state.status.tone).toBe("ok");
    expect(pane.state.warnings.join("\n")).toMatch(/already has the names Embedding, Enc_H1_Wq.*Embedding_AL, Enc_H1_Wq_AL/);
    const wq = JSON.stringify(fake.nameRef("Enc_H1_Wq_AL"));

    await pane.train({ optimizer: "adam", lr: "0.01", steps: "6" });
    expect(pane.state.status).toEqual({ text: expect.stringMatching(/^Trained 6 steps/), tone: "warn" });
    expect(pane.state.warnings).toEqual([
      "Your workbook already has a name Grad_Out_W; this build's block is named Grad_Out_W_AL, and your Grad_Out_W is unchanged.",
    ]);
    expect(fake.nameRef("Train_Log_AL")).toMatch(/^Training!\$B\$6:\$E\$11$/);
    expect(fake.nameRef("Grad_Out_W_AL")).toMatch(/^Gradients!/);
    expect(fake.nameRef("Grad_Enc_Wo")).toMatch(/^Gradients!/);
    expect(JSON.stringify(fake.nameRef("Enc_H1_Wq_AL"))).toBe(wq);

    await pane.tourNext();
    expect(`${fake.selection!.sheet.name}!${fake.selection!.address}`).toBe(fake.nameRef("Embedding_AL")!.replace(/\$/g, ""));

    // A second run finds the gradients it wrote (ours) and writes through them again.
    await pane.train({ optimizer: "adam", lr: "0.01", steps: "2" });
    expect(pane.state.status.tone).toBe("ok");
    expect(fake.sheets.filter((s) => s.name.startsWith("Gradients"))).toHaveLength(1);
    expect(JSON.stringify({ names: taken.map((n) => fake.nameRef(n)), cells: [...fake.sheet("Mine")!.cells] })).toBe(before);
  });
});
