import { spawnSync } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";
import ExcelJS from "exceljs";
import { buildTrained } from "../src/cli/workbook";
import { parseWorkbookArgs, type WorkbookOptions } from "../src/cli/workbook-args";
import { makeTask } from "../src/model/tasks";
import { TSX } from "./support/tsx";

const ROOT = path.resolve(__dirname, "..");

function cli(args: string[], cwd = ROOT) {
  return spawnSync(process.execPath, [...TSX, path.join(ROOT, "src/cli/workbook.ts"), ...args], {
    cwd,
    env: { ...process.env, INIT_CWD: cwd },
    encoding: "utf8",
    timeout: 280_000,
  });
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "attention-lab-cli-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("parseWorkbookArgs", () => {
  test("no flags: the encoder-decoder on translation, a quick training run, AttentionLab.xlsx", () => {
    expect(parseWorkbookArgs([])).toEqual<WorkbookOptions>({
      help: false,
      preset: "encoder-decoder",
      task: "translate",
      sentence: makeTask("translate").train[0].source,
      trainSteps: 80,
      seed: 1,
      layers: 1,
      diceSeed: 1,
      out: "AttentionLab.xlsx",
      lang: "en",
    });
  });

  test("the other presets train their full steps by default, and every flag is read", () => {
    expect(parseWorkbookArgs(["--preset", "encoder"])).toMatchObject({ preset: "encoder", task: "reverse", trainSteps: 300 });
    expect(
      parseWorkbookArgs([
        "--preset=seed",
        "--task",
        "sort",
        "--sentence",
        "A b, c.",
        "--train-steps",
        "0",
        "--seed",
        "7",
        "--layers",
        "3",
        "--dice-seed",
        "9",
        "--out",
        "x.XLSX",
        "--lang",
        "es",
      ]),
    ).toEqual<WorkbookOptions>({
      help: false,
      preset: "seed",
      task: "sort",
      sentence: ["a", "b", "c"],
      trainSteps: 0,
      seed: 7,
      layers: 3,
      diceSeed: 9,
      out: "x.XLSX",
      lang: "es",
    });
  });

  test("gpt: the prompt defaults to the first text's first words, the dice to the seed, and a prompt leaves room for <s>", () => {
    const first = makeTask("stories").train[0].source;
    expect(parseWorkbookArgs(["--preset", "gpt", "--seed", "5"])).toMatchObject({
      preset: "gpt",
      task: "stories",
      sentence: first.slice(0, 2),
      diceSeed: 5,
    });
    const longest = makeTask("stories").train.find((t) => t.source.length === 8)!.source;
    expect(parseWorkbookArgs(["--preset", "gpt", "--sentence", longest.join(" ")])).toMatchObject({ sentence: longest });
    expect(parseWorkbookArgs(["--preset", "gpt", "--sentence", [...longest, "cat"].join(" ")])).toEqual({
      error: "--sentence has 9 words but the gpt preset on stories takes at most 8",
    });
  });

  test("--help wins over everything else", () => {
    expect(parseWorkbookArgs(["--bogus", "--help"])).toMatchObject({ help: true });
  });

  test.each([
    [["--preset", "big"], 'unknown preset "big"; the presets are seed, encoder, encoder-decoder, gpt'],
    [["--task", "nope"], 'unknown task "nope"; the tasks are copy, reverse, sort, translate, stories'],
    [["--preset", "encoder", "--task", "translate"], "the translate task needs the encoder-decoder preset"],
    [["--sentence", "the cat eats pizza"], '"pizza" (word 4 of --sentence) is not in the vocabulary of the translate task'],
    [["--sentence", "the <pad> cat"], '--sentence word 2 is "<pad>", a marker the model adds itself'],
    [["--sentence", " ... "], "--sentence has no words"],
    [
      ["--preset", "encoder", "--sentence", "a b c d e f g h a"],
      "--sentence has 9 words but the encoder preset on reverse takes at most 6",
    ],
    [["--train-steps", "-1"], '--train-steps should be a whole number from 0 to 1000000, got "-1"'],
    [["--train-steps", "ten"], '--train-steps should be a whole number from 0 to 1000000, got "ten"'],
    [["--train-steps", "2.5"], '--train-steps should be a whole number from 0 to 1000000, got "2.5"'],
    [["--seed", "x"], '--seed should be a whole number from 0 to 4294967295, got "x"'],
    [["--out", "model.xls"], '--out should name an .xlsx file, got "model.xls"'],
    [["--out"], "--out needs a value"],
    [["--lang", "fr"], '--lang should be one of en, es, got "fr"'],
    [["--bogus"], "unknown option --bogus"],
  ])("%j → %s", (argv, problem) => {
    const r = parseWorkbookArgs(argv);
    expect(r).toHaveProperty("error");
    expect((r as { error: string }).error).toContain(problem);
  });
});

describe("npm run workbook (the real CLI)", () => {
  test.each([
    [["--preset", "big"], 'unknown preset "big"'],
    [["--task", "nope"], 'unknown task "nope"'],
    [["--sentence", "the cat eats pizza"], '"pizza" (word 4 of --sentence) is not in the vocabulary'],
    [
      ["--preset", "encoder", "--sentence", "a b c d e f g h a"],
      "--sentence has 9 words but the encoder preset on reverse takes at most 6",
    ],
    [["--train-steps", "-5"], '--train-steps should be a whole number from 0 to 1000000, got "-5"'],
    [["--train-steps", "many"], '--train-steps should be a whole number from 0 to 1000000, got "many"'],
  ])("%j exits with 2, names the problem and writes no file", (argv, problem) => {
    const out = path.join(dir, "bad.xlsx");
    const r = cli([...argv, "--out", out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`error: ${problem}`);
    expect(r.stderr).toContain("usage: npm run workbook -- [options]");
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stdout).toBe("");
    expect(fs.existsSync(out)).toBe(false);
  });

  test("an --out in a folder that does not exist exits with 2", () => {
    const r = cli(["--preset", "encoder", "--train-steps", "0", "--out", path.join(dir, "nowhere", "x.xlsx")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("does not exist");
  });

  test("--help prints the usage and exits with 0", () => {
    const r = cli(["--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("--train-steps N");
  });

  test("--preset encoder --train-steps 5 writes a workbook with its sheets and names; a second run replaces it", async () => {
    const out = path.join(dir, "encoder.xlsx");
    const r = cli(["--preset", "encoder", "--train-steps", "5", "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`wrote ${out}`);
    expect(r.stdout).toContain("libreoffice --calc");
    expect(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Guide", "Overview", "Input", "Encoder", "Output", "Data", "Training"]);
    // The file opens on the Overview (the workbook view's active tab, counted from 0).
    expect(wb.views[0]?.activeTab).toBe(1);
    const names = new Map(wb.definedNames.model.map((n) => [n.name, n.ranges]));
    for (const name of [
      "Tokens",
      "Vocab",
      "Embedding",
      "PosEnc",
      "X",
      "Enc_H1_Wq",
      "Enc_H1_Attn",
      "Enc_Out",
      "Logits",
      "Probs",
      "Predicted",
      "Data_Source",
      "Data_Target",
    ]) {
      expect(names.has(name)).toBe(true);
    }
    const o = parseWorkbookArgs(["--preset", "encoder", "--train-steps", "5"]) as WorkbookOptions;
    const { plan } = await buildTrained(o);
    expect(names.size).toBe(plan.names.length);
    for (const n of plan.names) expect(names.get(n.name)).toEqual([`${n.sheet}!${n.range}`]);
    const log = wb.getWorksheet("Training")!;
    const step5 = plan.sheets.find((s) => s.name === "Training")!.blocks[0];
    expect(log.getCell(step5.top + 5, step5.left + 1).value).toBe(5);
    // A step is a whole number (an export once showed "5.0000").
    expect(log.getCell(step5.top + 5, step5.left + 1).numFmt).toBe("0");

    const again = cli(["--preset", "encoder", "--train-steps", "0", "--out", out]);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(`replaced ${out}`);
  });

  test("--preset gpt writes a trained decoder-only workbook under 1 MB: a Decoder sheet, the generation cells, no Data_Target", async () => {
    const out = path.join(dir, "gpt.xlsx");
    const r = cli(["--preset", "gpt", "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(fs.statSync(out).size).toBeLessThan(1_000_000);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Guide", "Overview", "Input", "Decoder", "Output", "Data", "Training"]);
    const names = wb.definedNames.model.map((n) => n.name);
    for (const name of ["Tokens", "Prompt_Length", "Dec_H1_Wq", "Dec_Out", "Temperature", "Sampling_On", "Dice", "Generated"])
      expect(names).toContain(name);
    expect(names).not.toContain("Data_Target");
  });

  test("--layers 2 writes a sheet per layer: Encoder, Encoder 2, Decoder, Decoder 2", async () => {
    const out = path.join(dir, "stack.xlsx");
    const r = cli(["--preset", "encoder-decoder", "--layers", "2", "--train-steps", "0", "--out", out]);
    expect(r.status).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      "Guide",
      "Overview",
      "Input",
      "Encoder",
      "Encoder 2",
      "Decoder",
      "Decoder 2",
      "Output",
      "Data",
      "Training",
    ]);
  });

  test("a relative --out is relative to the folder the command was run from", () => {
    const r = cli(["--preset", "seed", "--train-steps", "0", "--out", "relative.xlsx"], dir);
    expect(r.status).toBe(0);
    expect(fs.existsSync(path.join(dir, "relative.xlsx"))).toBe(true);
  });
});
