/**
 * The messages that reach a user come out in Spanish when Spanish is in use:
 * a check of src/model (a ModelError, whose own message stays English so the
 * model needs no table) in an ATTN.* cell and in the pane, the trainer's
 * divergence report, an error from the training worker, and both CLIs. The
 * Spanish texts below are written here by hand, not taken from es.ts.
 */
import { spawnSync } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";
import { MessageChannel } from "worker_threads";
import { CustomFunctionError, ErrorCode } from "./support/custom-functions-stub";
import * as ATTN from "../src/functions/functions";
import { META_SHEET } from "../src/excel/meta";
import { messageOf, setLanguage, withLanguageAsync } from "../src/i18n";
import { cloneParams, validateConfig, type ModelConfig, type Params } from "../src/model/config";
import { ModelError } from "../src/model/messages";
import { newOptimizerState } from "../src/model/optim";
import { configFor, encodeExamples, getPreset } from "../src/model/presets";
import { makeTask } from "../src/model/tasks";
import { serveEngine } from "../src/train/serve-engine";
import { TrainingSession } from "../src/train/session";
import { MemoryStore } from "../src/train/store";
import { WorkerEngine, type WorkerLike } from "../src/train/worker-engine";
import { Controller } from "../src/taskpane/controller";
import { ExcelHost } from "../src/taskpane/host";
import { FakeExcel } from "./support/fake-excel";
import { adam, config, initial, train } from "./support/small-training";
import { TSX } from "./support/tsx";

const ROOT = path.resolve(__dirname, "..");

afterEach(() => setLanguage("en"));

/** What `f` threw. */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
}

describe("a model check's message", () => {
  const bad = { ...config, dModel: 0 } as ModelConfig;

  test("is a ModelError with the English message whatever the language, and messageOf says it in the language in use", () => {
    setLanguage("es");
    const e = thrown(() => validateConfig(bad));
    expect(e).toBeInstanceOf(ModelError);
    expect(e).toBeInstanceOf(RangeError);
    expect((e as Error).message).toBe("dModel should be a whole number from 1 to 1024, got 0");
    expect(messageOf(e)).toBe("dModel debería ser un número entero de 1 a 1024, pero es 0");
    setLanguage("en");
    expect(messageOf(e)).toBe("dModel should be a whole number from 1 to 1024, got 0");
  });

  test("a refusal of a preset for a task, and a text as the value, in Spanish", () => {
    setLanguage("es");
    expect(messageOf(new ModelError("cannotLearn", "gpt", "reverse", "gptPairs"))).toBe(
      "la configuración gpt no puede aprender la tarea reverse: continúa un texto; la tarea reverse convierte un origen en un " +
        "objetivo y necesita la configuración encoder o encoder-decoder",
    );
    expect(messageOf(new ModelError("wholeFrom", "dModel", 1, 1024, "16"))).toBe(
      'dModel debería ser un número entero de 1 a 1024, pero es "16"',
    );
  });

  test("an unknown word in the training data says where it was read, in each language", () => {
    const task = makeTask("reverse", { seed: 1 });
    const c = configFor(getPreset("encoder"), task);
    const good = task.train[0];
    const examples = [good, { source: good.source, target: [good.target[0], good.target[1], "zebra"] }];
    const e = thrown(() => encodeExamples(task, c, examples));
    expect((e as Error).message).toMatch(/^"zebra" is not in the vocabulary \(example 2, target, word 3\); known words: /);
    setLanguage("es");
    expect(messageOf(e)).toMatch(/^"zebra" no está en el vocabulario \(ejemplo 2, objetivo, palabra 3\); palabras conocidas: /);
    expect(messageOf(thrown(() => task.vocab.ids(["zebra"])))).toMatch(/^"zebra" no está en el vocabulario \(frase de origen, palabra 1\)/);
  });

  test("reaches an ATTN.* cell in Spanish: a word that is not in the vocabulary is #N/A", () => {
    setLanguage("es");
    const r = ATTN.embed([["the", "dog"]], [["<pad>", "the", "cat"]], [[1], [2], [3]]) as CustomFunctionError;
    expect(r.code).toBe(ErrorCode.notAvailable);
    expect(r.message).toBe('"dog" no está en el vocabulario (tokens, celda 2); palabras conocidas: <pad>, the, cat');
  });

  test("reaches the pane in Spanish: a settings sheet whose config has dModel as text", async () => {
    const fake = new FakeExcel();
    const first = new Controller(new ExcelHost(fake.run, fake.requirements));
    await first.start();
    await first.build({ preset: "encoder", task: "reverse", sentence: "", dModel: "8", heads: "2", dK: "4", seed: "1", style: "cells" });
    const sheet = fake.sheetOrThrow(META_SHEET);
    const row = Number([...sheet.cells.entries()].find(([, c]) => c.value === "config")![0].split(",")[0]);
    const saved = JSON.parse(String(sheet.cells.get(`${row},1`)!.value)) as Record<string, unknown>;
    fake.setCell(META_SHEET, `B${row + 1}`, JSON.stringify({ ...saved, dModel: "16" }));

    setLanguage("es");
    const pane = new Controller(new ExcelHost(fake.run, fake.requirements));
    await pane.start();
    expect(pane.state.status.tone).toBe("error");
    expect(pane.state.status.text).toBe(
      "No se pudo leer la configuración de Attention Lab de este libro: " +
        `La hoja oculta ${META_SHEET} tiene una configuración que este complemento no puede usar: ` +
        'config: dModel debería ser un número entero de 1 a 1024, pero es "16"; pulsa Construir en el panel para escribir un ' +
        "modelo nuevo y su configuración.",
    );
  });
});

describe("the trainer in Spanish", () => {
  /** Five plain SGD steps at `lr` from `params`, in Spanish. */
  const sgdRun = (params: Params, lr: number) =>
    withLanguageAsync("es", () =>
      new TrainingSession({ store: new MemoryStore(params), config, train, optimizer: { kind: "sgd", lr, momentum: 0 } }).run(5),
    );

  test("a NaN loss: the divergence report", async () => {
    const overflowing = cloneParams(initial);
    overflowing.Embedding.data.forEach((w, i) => (overflowing.Embedding.data[i] = 1e300 * w));
    const report = await sgdRun(overflowing, 0.1);
    expect(report.stopped).toBe("diverged");
    expect(report.message).toBe(
      "El entrenamiento divergió en el paso 1: la pérdida se volvió NaN. Se detuvo y volvió a escribir los pesos del comienzo " +
        "de esta ejecución; prueba con una tasa de aprendizaje menor.",
    );
  });

  test("an update that overflows a weight: the report names it in Spanish", async () => {
    const big = cloneParams(initial);
    big.Out_W.data.forEach((w, i) => (big.Out_W.data[i] = 10 * w));
    const report = await sgdRun(big, Number.MAX_VALUE);
    expect(report.message).toMatch(
      /^El entrenamiento divergió en el paso 1: la actualización dejó \w+ en -?Infinity en la fila \d+, columna \d+\. Se detuvo/,
    );
  });

  test("a session's own check, in Spanish", () => {
    setLanguage("es");
    expect(() => new TrainingSession({ store: new MemoryStore(initial), config, train: [], optimizer: adam })).toThrow(
      "no hay ejemplos de entrenamiento",
    );
  });

  describe("through the worker protocol", () => {
    const opened: { close(): void }[] = [];
    afterAll(() => opened.forEach((p) => p.close()));
    function channelEngine(setup: ConstructorParameters<typeof WorkerEngine>[1], dutyCycle = 1): WorkerEngine {
      const { port1, port2 } = new MessageChannel();
      opened.push(port1, port2);
      serveEngine(port2 as unknown as Parameters<typeof serveEngine>[0]);
      return new WorkerEngine(port1 as unknown as WorkerLike, setup, { dutyCycle });
    }

    test("a duty cycle of 2 is refused on the pane's side, in its language", () => {
      setLanguage("es");
      expect(() => channelEngine({ config, optimizer: adam, train }, 2)).toThrow(
        "el ciclo de trabajo debería ser una fracción en (0, 1], pero es 2",
      );
    });

    test("a model check that fails in the worker comes back a ModelError, said in the pane's language", async () => {
      const short = [{ ...train[0], target: train[0].target.slice(1) }];
      const engine = channelEngine({ config, optimizer: adam, train: short });
      await engine.load({ params: cloneParams(initial), optimizer: newOptimizerState() });
      const e = await engine.step(undefined, Infinity).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ModelError);
      const want = config.sourceLen;
      expect((e as Error).message).toBe(`example 1 has ${want - 1} targets but the model predicts ${want} positions`);
      setLanguage("es");
      expect(messageOf(e)).toBe(`el ejemplo 1 tiene ${want - 1} objetivos, pero el modelo predice ${want} posiciones`);
      engine.close();
    });
  });
});

describe("the CLIs with --lang es", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "attention-lab-lang-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = (entry: string, args: string[]) =>
    spawnSync(process.execPath, [...TSX, path.join(ROOT, "src/cli", entry), ...args], {
      cwd: dir,
      env: { ...process.env, INIT_CWD: dir },
      encoding: "utf8",
      timeout: 280_000,
    });

  test("npm run workbook: a usage error and its usage in Spanish; a bad --lang in English", () => {
    const r = run("workbook.ts", ["--preset", "big", "--lang", "es"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('error: la configuración "big" no existe; las configuraciones son seed, encoder, encoder-decoder, gpt');
    expect(r.stderr).toContain("uso: npm run workbook -- [opciones]");
    expect(r.stderr).toContain("  --help              este texto");
    const fr = run("workbook.ts", ["--lang=fr"]);
    expect(fr.status).toBe(2);
    expect(fr.stderr).toContain('error: --lang should be one of en, es, got "fr"');
  });

  test("npm run workbook: the progress and the success lines in Spanish", () => {
    const out = path.join(dir, "es.xlsx");
    const r = run("workbook.ts", ["--lang", "es", "--preset", "encoder", "--train-steps", "2", "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("entrenando la configuración encoder con reverse durante 2 pasos (");
    expect(r.stdout).toMatch(/^ {2}paso 2\/2 {2}pérdida \d\.\d{4} {2}exactitud por token \d+\.\d%$/m);
    expect(r.stdout).toContain(`escrito ${out}\n`);
    expect(r.stdout).toMatch(
      /^ {2}7 hojas \(Guide, Overview, Input, Encoder, Output, Data, Training\), \d+ fórmulas, \d+ rangos con nombre;/m,
    );
    expect(r.stdout).toContain("ábrelo con:\n");
    expect(fs.existsSync(out)).toBe(true);
  });

  test("npm run train: a usage error, and a short run's report, in Spanish", () => {
    const bad = run("train.ts", ["--lang", "es", "--lr", "0"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('error: --lr debería ser un número mayor que 0, pero es "0"');
    expect(bad.stderr).toContain("uso: npm run train -- [opciones]");
    const r = run("train.ts", ["--lang", "es", "--preset", "encoder", "--steps", "2"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^entrenando la configuración encoder con reverse: \d+ ejemplos de entrenamiento, \d+ parámetros$/m);
    expect(r.stdout).toMatch(/^adam, lr 0\.01, semilla 1, lote completo, 2 pasos$/m);
    expect(r.stdout).toMatch(/^conjunto de entrenamiento: pérdida \d\.\d{4}, exactitud por token /m);
    expect(r.stdout).toMatch(/^tiempo: \d+\.\d s \(/m);
  });
});
