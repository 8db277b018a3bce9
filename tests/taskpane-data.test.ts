/**
 * The Data sheet's words become the same token ids the model's own encoder
 * (src/model/presets encodeExamples) makes from the task, for both kinds of
 * model; empty rows are skipped, and half-filled ones are refused by cell.
 */
import type { SheetRange } from "../src/excel/address";
import { WorkbookError } from "../src/excel/errors";
import { configFor, encodeExamples, getPreset } from "../src/model/presets";
import { makeTask } from "../src/model/tasks";
import { encodeData, TokenIndex } from "../src/taskpane/data";
import { dataColumns } from "../src/model/presets";

const range = (top: number, left: number, rows: number, cols: number): SheetRange => ({ sheet: "Data", top, left, rows, cols });
const padTo = (words: string[], k: number) => Array.from({ length: k }, (_, j) => words[j] ?? "");

test.each([
  ["encoder", "reverse"],
  ["encoder-decoder", "translate"],
])("the %s preset on %s: Data rows encode as encodeExamples encodes the task", (presetName, taskName) => {
  const preset = getPreset(presetName);
  const task = makeTask(taskName, { seed: 3, ...preset.taskOptions });
  const config = configFor(preset, task);
  const examples = task.train.slice(0, 25);
  const source = examples.map((e) => padTo(e.source, config.sourceLen));
  const target = examples.map((e) => padTo(e.target, dataColumns(config).target));
  const data = {
    source: { words: source, range: range(5, 2, source.length, config.sourceLen) },
    target: { words: target, range: range(5, 10, target.length, dataColumns(config).target) },
  };
  expect(encodeData(data, config, new TokenIndex(task.vocab.tokens))).toEqual(encodeExamples(task, config, examples));
});

test("empty rows are skipped; a row with a target but no source is refused by its cell", () => {
  const preset = getPreset("encoder");
  const task = makeTask("reverse", { seed: 1, ...preset.taskOptions });
  const config = configFor(preset, task);
  const index = new TokenIndex(task.vocab.tokens);
  const empty = padTo([], 6);
  const ex = task.train[0];
  const data = (source: string[][], target: string[][]) => ({
    source: { words: source, range: range(5, 2, source.length, 6) },
    target: { words: target, range: range(5, 9, target.length, 6) },
  });

  expect(encodeData(data([empty, ex.source, empty], [empty, ex.target, empty]), config, index)).toEqual(encodeExamples(task, config, [ex]));
  const refused = (() => {
    try {
      encodeData(data([ex.source, empty], [ex.target, ex.target]), config, index);
    } catch (e) {
      return e;
    }
  })();
  expect(refused).toBeInstanceOf(WorkbookError);
  expect((refused as WorkbookError).problems).toEqual([
    "Data!C7: the source of this example is empty but its target is not; fill it in or clear the target.",
  ]);
  expect(() => encodeData(data([empty], [empty]), config, index)).toThrow(/The Data sheet has no examples \(Data!C6:H6 is empty\)/);
});
