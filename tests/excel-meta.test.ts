/** The hidden AttentionLab sheet: what a build writes, read back after reopening. */
import { metaRows, parseMetaRows, WorkbookMeta } from "../src/excel/meta";
import { configFor, getPreset } from "../src/model/presets";
import { makeTask } from "../src/model/tasks";

const task = makeTask("translate");
const meta: WorkbookMeta = {
  preset: "encoder-decoder",
  config: configFor(getPreset("encoder-decoder"), task),
  vocab: [...task.vocab.tokens],
  seed: 17,
  sheets: { Encoder: "Encoder (2)" },
};

test("the rows a build writes read back to the same metadata, seed included", () => {
  const rows = metaRows(meta);
  expect(rows.every((r) => r.length === rows[0].length)).toBe(true);
  expect(parseMetaRows(rows)).toEqual(meta);
});

test("a workbook built before the seed was recorded reads back without one", () => {
  const rows = metaRows({ ...meta, seed: undefined }).filter((r) => r[0] !== "seed");
  expect(parseMetaRows(rows).seed).toBeUndefined();
});

test("damaged rows give a message that says how to recover", () => {
  const rows = metaRows(meta).map((r) => (r[0] === "config" ? ["config", "{not json"] : r));
  expect(() => parseMetaRows(rows)).toThrow(
    "The hidden AttentionLab sheet has a damaged config; rebuild the workbook from the task pane to restore it.",
  );
});
