import { spawnSync } from "child_process";
import path from "path";
import { parseTrainArgs, type TrainOptions } from "../src/cli/args";
import { TSX } from "./support/tsx";

const ROOT = path.resolve(__dirname, "..");

function cli(args: string[]) {
  return spawnSync(process.execPath, [...TSX, "src/cli/train.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 280_000,
  });
}

function lines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l));
}

describe("parseTrainArgs", () => {
  test("no flags: the encoder preset with its task, steps and optimizer", () => {
    expect(parseTrainArgs([])).toEqual<TrainOptions>({
      help: false,
      preset: "encoder",
      task: "reverse",
      steps: 300,
      optimizer: { kind: "adam", lr: 0.01, clipNorm: 5 },
      seed: 1,
      layers: 1,
      json: false,
      lang: "en",
    });
  });

  test("a preset brings its own defaults", () => {
    expect(parseTrainArgs(["--preset", "encoder-decoder"])).toMatchObject({
      preset: "encoder-decoder",
      task: "translate",
      steps: 300,
      optimizer: { kind: "adam", lr: 0.005 },
    });
  });

  test("every flag, in both --flag value and --flag=value forms", () => {
    const args = [
      "--preset=seed",
      "--task",
      "sort",
      "--steps=50",
      "--optimizer",
      "sgd",
      "--lr",
      "1e-3",
      "--seed",
      "42",
      "--batch-size",
      "16",
      "--layers",
      "2",
      "--json",
    ];
    expect(parseTrainArgs(args)).toEqual<TrainOptions>({
      help: false,
      preset: "seed",
      task: "sort",
      steps: 50,
      optimizer: { kind: "sgd", lr: 0.001, clipNorm: 1 },
      seed: 42,
      batchSize: 16,
      layers: 2,
      json: true,
      lang: "en",
    });
    expect(parseTrainArgs(["--lr", ".5"])).toMatchObject({ optimizer: { lr: 0.5 } });
  });

  test("--help wins over everything else", () => {
    expect(parseTrainArgs(["--help"])).toMatchObject({ help: true });
    expect(parseTrainArgs(["--bogus", "--help"])).toMatchObject({ help: true });
  });

  test.each([
    [["--bogus"], "unknown option --bogus"],
    [["reverse"], 'unexpected argument "reverse"; options start with --'],
    [["--steps"], "--steps needs a value"],
    [["--steps", "--json"], "--steps needs a value"],
    [["--steps="], "--steps needs a value"],
    [["--steps", "abc"], '--steps should be a whole number from 1 to 1000000, got "abc"'],
    [["--steps", "1.5"], '--steps should be a whole number from 1 to 1000000, got "1.5"'],
    [["--steps", "0"], '--steps should be a whole number from 1 to 1000000, got "0"'],
    [["--steps", "5", "--steps", "6"], "--steps is given more than once"],
    [["--preset", "big"], 'unknown preset "big"; the presets are seed, encoder, encoder-decoder, gpt'],
    [["--task", "nope"], 'unknown task "nope"; the tasks are copy, reverse, sort, translate, stories'],
    [["--lr", "0"], '--lr should be a number above 0, got "0"'],
    [["--lr", "-1"], '--lr should be a number above 0, got "-1"'],
    [["--lr", "fast"], '--lr should be a number above 0, got "fast"'],
    [["--optimizer", "rmsprop"], '--optimizer should be adam or sgd, got "rmsprop"'],
    [["--seed", "-3"], '--seed should be a whole number from 0 to 4294967295, got "-3"'],
    [["--batch-size", "0"], '--batch-size should be a whole number from 1 to 100000, got "0"'],
    [["--layers", "7"], '--layers should be a whole number from 1 to 6, got "7"'],
    [
      ["--preset", "gpt", "--task", "reverse"],
      "the gpt preset cannot learn the reverse task: it continues a text; the reverse task turns a source into a target and needs the encoder or encoder-decoder preset",
    ],
    [["--json=yes"], "--json takes no value"],
    [
      ["--task", "translate"],
      "the encoder preset cannot learn the translate task: it predicts one token per source position; the translate task needs the encoder-decoder preset",
    ],
  ])("%j → %s", (argv, error) => {
    expect(parseTrainArgs(argv)).toEqual({ error });
  });
});

describe("npm run train (the real CLI)", () => {
  test.each([
    [["--bogus"], "error: unknown option --bogus"],
    [["--lr", "0"], 'error: --lr should be a number above 0, got "0"'],
    [["--preset", "encoder", "--task", "translate"], "the translate task needs the encoder-decoder preset"],
  ])("%j exits with 2 and a usage message on stderr, without a stack trace", (argv, problem) => {
    const r = cli(argv);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(problem);
    expect(r.stderr).toContain("usage: npm run train -- [options]");
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stdout).toBe("");
  });

  test("--help prints the usage and exits with 0", () => {
    const r = cli(["--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("--batch-size N");
  });

  test("--preset encoder --task reverse --steps 300 --json reaches 100% held-out token accuracy", () => {
    const r = cli(["--preset", "encoder", "--task", "reverse", "--steps", "300", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const out = lines(r.stdout);
    const progress = out.filter((l) => l.type === "progress");
    expect(progress.length).toBeGreaterThanOrEqual(10);
    expect(progress[progress.length - 1]).toMatchObject({ step: 300, steps: 300 });
    const result = out[out.length - 1];
    expect(result).toMatchObject({
      type: "result",
      preset: "encoder",
      task: "reverse",
      steps: 300,
      cancelled: false,
      heldOutExamples: 100,
    });
    expect(result.stopped).toBeUndefined();
    expect(result.heldOutAccuracy).toBe(1);
  }, 300_000);

  test("--preset encoder-decoder --steps 300 --json learns the translation pairs: ≥ 95% token accuracy, every greedy decoding exact", () => {
    const r = cli(["--preset", "encoder-decoder", "--steps", "300", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const out = lines(r.stdout);
    const result = out[out.length - 1];
    expect(result).toMatchObject({ type: "result", preset: "encoder-decoder", task: "translate", steps: 300, heldOutIsTrain: true });
    expect(result.trainAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(result.exactMatch).toBe(1);
    expect(result.exactMatches).toBe(result.heldOutExamples);
  }, 300_000);
});
