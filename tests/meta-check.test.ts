/**
 * A hand-edited settings sheet (the very hidden AttentionLab sheet) is
 * checked on read: one message says which settings are wrong, what they
 * should be, and how to rebuild; never a raw JavaScript error such as
 * "Cannot read properties of null".
 */
import { META_SHEET, metaRows, parseMetaRows, WorkbookMeta } from "../src/excel/meta";
import { configFor, getPreset } from "../src/model/presets";
import { makeTask } from "../src/model/tasks";
import { Controller } from "../src/taskpane/controller";
import { ExcelHost } from "../src/taskpane/host";
import { FakeExcel } from "./support/fake-excel";
import { setLanguage } from "../src/i18n";

const task = makeTask("reverse");
const meta: WorkbookMeta = {
  preset: "encoder",
  config: configFor(getPreset("encoder"), task),
  vocab: [...task.vocab.tokens],
  seed: 17,
  style: "functions",
  sheets: { Encoder: "Encoder (2)" },
};
const REBUILD = "; press Build in the task pane to write a new model and its settings.";

/** The rows of `meta` with `key`'s value replaced by `text` (the whole value, as a user would type it). */
function edited(key: string, text: string): string[][] {
  return metaRows(meta).map((r) => (r[0] === key ? [key, text, ...r.slice(2).map(() => "")] : r));
}

const configWith = (patch: Record<string, unknown>) => JSON.stringify({ ...meta.config, ...patch });

test.each<[string, string, string, string]>([
  ["config null", "config", "null", "config should be an object of model sizes, got null"],
  ["config a list", "config", "[]", "config should be an object of model sizes, got []"],
  ["a negative sourceLen", "config", configWith({ sourceLen: -3 }), "config: sourceLen should be a whole number from 1 to 512, got -3"],
  ["dModel as text", "config", configWith({ dModel: "16" }), 'config: dModel should be a whole number from 1 to 1024, got "16"'],
  ["a negative targetLen", "config", configWith({ targetLen: -1 }), "config: targetLen should be a whole number from 0 to 512, got -1"],
  [
    "an unknown kind",
    "config",
    configWith({ kind: "gpt" }),
    'config: kind should be one of encoder, encoder-decoder, decoder-only, got "gpt"',
  ],
  ["seven layers", "config", configWith({ layers: 7 }), "config: layers should be a whole number from 1 to 6, got 7"],
  ["scaled null", "config", configWith({ scaled: null }), "config: scaled should be true or false, got null"],
  [
    "an unknown normalization",
    "config",
    configWith({ normalization: "max" }),
    'config: normalization should be "softmax" or "none", got "max"',
  ],
  ["vocab {}", "vocab", "{}", `vocab should be a list of ${meta.config.vocabSize} words, got {}`],
  ["vocab null", "vocab", "null", `vocab should be a list of ${meta.config.vocabSize} words, got null`],
  [
    "a word short",
    "vocab",
    JSON.stringify(meta.vocab.slice(1)),
    `vocab should be a list of ${meta.config.vocabSize} words (config.vocabSize), got ${meta.vocab.length - 1}`,
  ],
  [
    "a number among the words",
    "vocab",
    JSON.stringify([...meta.vocab.slice(0, -1), 7]),
    `vocab should hold words only, but word ${meta.vocab.length} is 7`,
  ],
  [
    "the specials out of order",
    "vocab",
    JSON.stringify(["<s>", "<pad>", ...meta.vocab.slice(2)]),
    'vocab should start with "<pad>", "<s>", "</s>", got "<s>", "<pad>", "</s>"',
  ],
  [
    "a word twice",
    "vocab",
    JSON.stringify([...meta.vocab.slice(0, -1), meta.vocab[3]]),
    `vocab lists "${meta.vocab[3]}" twice (words 4 and ${meta.vocab.length})`,
  ],
  ["sheets null", "sheets", "null", "sheets should be an object of sheet names, got null"],
  [
    "a sheet name that is a number",
    "sheets",
    '{"Encoder": 3}',
    'sheets should map each planned sheet to its name in the workbook, but "Encoder" maps to 3',
  ],
  ["a negative seed", "seed", "-1", 'seed should be a whole number from 0 to 4294967295, got "-1"'],
  ["a hexadecimal seed", "seed", "0x10", 'seed should be a whole number from 0 to 4294967295, got "0x10"'],
  [
    "a style in capitals",
    "style",
    "Functions",
    'style should be "cells" or "functions", the formula style the workbook was built in, got "Functions"',
  ],
])("%s: the message names the setting, what it should be and how to rebuild", (_, key, text, problem) => {
  expect(() => parseMetaRows(edited(key, text))).toThrow(
    `The hidden ${META_SHEET} sheet has settings this add-in cannot use: ${problem}${REBUILD}`,
  );
});

test("every problem is in the one message", () => {
  const rows = edited("config", "null").map((r) => (r[0] === "vocab" ? ["vocab", "{}", ...r.slice(2).map(() => "")] : r));
  expect(() => parseMetaRows(rows)).toThrow(
    `cannot use: config should be an object of model sizes, got null; vocab should be a list of words, got {}${REBUILD}`,
  );
});

test("sound settings read back as written, an empty sheets mapping too", () => {
  expect(parseMetaRows(metaRows(meta))).toEqual(meta);
  expect(parseMetaRows(metaRows({ ...meta, sheets: {} }))).toEqual({ ...meta, sheets: {} });
});

/** A built workbook whose settings sheet has `key` replaced by `text`, and a fresh pane on it. */
async function damaged(key: string, text: string): Promise<{ fake: FakeExcel; pane: Controller }> {
  const fake = new FakeExcel();
  const first = new Controller(new ExcelHost(fake.run, fake.requirements));
  await first.start();
  await first.build({ preset: "encoder", task: "reverse", sentence: "", dModel: "8", heads: "2", dK: "4", seed: "1", style: "cells" });
  const sheet = fake.sheetOrThrow(META_SHEET);
  const row = [...sheet.cells.entries()].find(([, c]) => c.value === key)![0].split(",")[0];
  fake.setCell(META_SHEET, `B${Number(row) + 1}`, text);
  const pane = new Controller(new ExcelHost(fake.run, fake.requirements));
  return { fake, pane };
}

test.each([
  ["config", "null"],
  ["vocab", "{}"],
])("the pane on a workbook whose %s is %s: start, Train and Reset give the message, not a JavaScript error", async (key, text) => {
  const { pane } = await damaged(key, text);
  await pane.start();
  expect(pane.state.status.tone).toBe("error");
  expect(pane.state.status.text).toContain(`The hidden ${META_SHEET} sheet has settings this add-in cannot use: ${key} should be`);
  await pane.train({ optimizer: "sgd", lr: "0.1", steps: "1" });
  expect(pane.state.status.text).toContain(`${key} should be`);
  await pane.confirmReset("3");
  expect(pane.state.status.text).toContain(`${key} should be`);
  expect(pane.state.undo).toBeUndefined();
  for (const s of [pane.state.status.text, ...pane.state.details]) expect(s).not.toMatch(/Cannot read|undefined|is not a function/);
});

test("a config saved before models were lists of layers ({ decoder: false }) reads as one encoder layer", () => {
  const { kind, layers, ...rest } = meta.config;
  expect([kind, layers]).toEqual(["encoder", 1]);
  const old = metaRows(meta).map((r) =>
    r[0] === "config" ? ["config", JSON.stringify({ ...rest, decoder: false }), ...r.slice(2).map(() => "")] : r,
  );
  expect(parseMetaRows(old)?.config).toEqual(meta.config);
});

test("settings written before the formula style was recorded read without one; a style that is not one is named in Spanish too", () => {
  const before = metaRows(meta).filter((r) => r[0] !== "style");
  const { style, ...rest } = meta;
  expect(style).toBe("functions");
  expect(parseMetaRows(before)).toEqual(rest);
  setLanguage("es");
  try {
    expect(() => parseMetaRows(edited("style", "1"))).toThrow(
      'style debería ser "cells" o "functions", el estilo de fórmulas con el que se construyó el libro, pero es "1"',
    );
  } finally {
    setLanguage("en");
  }
});
