/**
 * ATTN.GENERATE: a gpt workbook's greedy continuation of a prompt, computed
 * by the add-in from the workbook's own model. The continuation of each
 * training prompt is checked against the story itself (the data, not the
 * code), and the call against a model read back from the fake Excel, as the
 * shared runtime reads it; bad arguments are fuzzed: always an error value
 * naming the argument, never a throw.
 */
import fc from "fast-check";
import { CustomFunctionError, ErrorCode } from "./support/custom-functions-stub";
import * as ATTN from "../src/functions/functions";
import { provideModel, type ModelSnapshot } from "../src/functions/model-source";
import { initParams } from "../src/model/config";
import { newOptimizerState, optimizerStep } from "../src/model/optim";
import { configFor, encodeExamples, getPreset } from "../src/model/presets";
import { PROMPT_LENGTH, makeTask } from "../src/model/tasks";
import { lossAndGradients } from "../src/model/transformer";
import { buildWorkbookPlan } from "../src/sheet/build";
import { ExcelHost } from "../src/taskpane/host";
import { FakeExcel } from "./support/fake-excel";

const task = makeTask("stories");
const preset = getPreset("gpt");
const config = configFor(preset, task);
const params = initParams(config, 1);
const train = encodeExamples(task, config, task.train);
const state = newOptimizerState();
for (let step = 0; step < preset.steps; step++)
  optimizerStep(params, lossAndGradients(params, config, train).grads, preset.optimizer, state);
const model: ModelSnapshot = { config, params, vocab: task.vocab.tokens };

const call = (prompt: unknown[][], maxTokens?: number) => ATTN.generate(prompt, maxTokens);

describe("with the workbook's model", () => {
  beforeAll(() => provideModel(async () => model));

  test.each(task.train.map((t, k) => [k, t.source]))(
    "story %i: its first words are continued with the rest of the story",
    async (_, story) => {
      const prompt = story.slice(0, PROMPT_LENGTH);
      expect(await call([prompt])).toEqual([story.slice(PROMPT_LENGTH)]);
    },
  );

  test("a prompt as one text, or as a column of words, gives the same row", async () => {
    const story = task.train[4].source;
    const row = await call([story.slice(0, 2)]);
    expect(await call([[story.slice(0, 2).join(" ")]])).toEqual(row);
    expect(await call(story.slice(0, 2).map((w) => [w]))).toEqual(row);
  });

  test("maxTokens keeps the first words only", async () => {
    const story = task.train[0].source;
    expect(await call([story.slice(0, 2)], 2)).toEqual([story.slice(2, 4)]);
  });

  test.each<[string, unknown[][], number | undefined, string, string]>([
    ["an unknown word", [["the", "unicorn"]], undefined, ErrorCode.notAvailable, "unicorn"],
    ["a marker", [["<s>", "the"]], undefined, ErrorCode.invalidValue, 'prompt word 1 is "<s>", a marker the model adds itself'],
    [
      "too long",
      [[...task.train[0].source, "cat", "dog", "fish"]],
      undefined,
      ErrorCode.invalidValue,
      `at most ${config.sourceLen - 1} after <s>`,
    ],
    ["maxTokens 0", [["the", "cat"]], 0, ErrorCode.invalidValue, "maxTokens"],
    ["a blank cell", [["the", null]], undefined, ErrorCode.invalidValue, "prompt cell 2"],
  ])("%s: an error that says what was expected and what came in", async (_, prompt, maxTokens, code, text) => {
    const out = await call(prompt, maxTokens);
    expect(out).toBeInstanceOf(CustomFunctionError);
    expect((out as CustomFunctionError).code).toBe(code);
    expect((out as CustomFunctionError).message).toContain(text);
  });

  test("fuzzed prompts and limits never throw: a row of words or an error value", async () => {
    const cell = fc.oneof(
      fc.constantFrom(...task.vocab.tokens),
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.constant(null),
      fc.constant(""),
      fc.boolean(),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 3 }),
        fc.option(fc.oneof(fc.integer(), fc.double())),
        async (prompt, max) => {
          const out = await call(prompt, max ?? undefined);
          if (out instanceof CustomFunctionError) expect(out.message).toMatch(/prompt|maxTokens|vocabulary|words/);
          else expect((out as string[][])[0].every((w) => task.vocab.has(w))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

test("an encoder-decoder workbook is told that GENERATE needs a gpt model", async () => {
  const pairs = makeTask("translate");
  const c = configFor(getPreset("encoder-decoder"), pairs);
  provideModel(async () => ({ config: c, params: initParams(c, 1), vocab: pairs.vocab.tokens }));
  const out = (await call([["the"]])) as CustomFunctionError;
  expect(out.message).toBe(
    "ATTN.GENERATE continues a text, so it needs a decoder-only (gpt) model; this workbook holds 1 encoder layer and 1 decoder layer",
  );
});

test("a workbook without a model says how to get one", async () => {
  provideModel(async () => undefined);
  const out = (await call([["the"]])) as CustomFunctionError;
  expect(out.code).toBe(ErrorCode.notAvailable);
  expect(out.message).toMatch(/build the gpt preset/);
});

test("in the shared runtime, the model is the workbook's: read back from the fake Excel by its names and settings", async () => {
  const fake = new FakeExcel();
  const host = new ExcelHost(fake.run, fake.requirements);
  const story = task.train[7].source;
  const plan = buildWorkbookPlan({
    preset: "gpt",
    description: preset.description,
    config,
    vocab: task.vocab,
    params,
    sentence: story.slice(0, 2),
    examples: task.train,
  });
  await host.build(plan, { preset: "gpt", config, vocab: [...task.vocab.tokens] }, () => undefined);
  provideModel(() => new ExcelHost(fake.run, fake.requirements).readModel());
  expect(await call([story.slice(0, 2)])).toEqual([story.slice(2)]);
});
