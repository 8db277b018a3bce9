/**
 * The pane's number fields read numbers as the CLI's flags do: plain
 * decimals only. JavaScript's Number() also takes "0x10", "0b1", "0o7" and
 * "Infinity", which no one types as a learning rate on purpose.
 */
import { parseTrainArgs } from "../src/cli/args";
import { checkBuild, checkTrain } from "../src/taskpane/forms";

const lrOf = (text: string) => checkTrain({ optimizer: "sgd", lr: text, steps: "1" }, "encoder");
const cliLr = (text: string) => parseTrainArgs(["--lr", text]);

test.each(["0x10", "0b1", "0o7", "Infinity", "1_0", "1e", "--1", "0.1.2", ""])(
  "the learning rate %j is refused, with what was typed",
  (text) => {
    const r = lrOf(text);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors.lr).toMatch(/^The learning rate should be a number above 0 and at most 1000/);
    if (text) expect(!r.ok && r.errors.lr).toContain(`"${text}"`);
  },
);

test.each([
  ["0.01", 0.01],
  [" 1e-3 ", 0.001],
  [".5", 0.5],
  ["2.", 2],
  ["+3E1", 30],
])("the learning rate %j reads as %d", (text, value) => {
  const r = lrOf(text);
  expect(r.ok && r.value.optimizer.lr).toBe(value);
});

test("a text the CLI refuses as --lr the pane refuses too, and the other way round, within the pane's range", () => {
  for (const text of ["0x10", "0b1", "0o7", "Infinity", "1_0", "1e", "0.01", "1e-3", ".5", "2.", "+3E1", "7", "-1", "0"]) {
    expect([text, lrOf(text).ok]).toEqual([text, !("error" in cliLr(text))]);
  }
});

test("whole-number fields refuse hexadecimal and exponents too", () => {
  const r = checkBuild({
    preset: "encoder",
    task: "reverse",
    sentence: "",
    dModel: "0x10",
    heads: "1e0",
    dK: "8",
    seed: "0b1",
    style: "cells",
  });
  expect(r.ok).toBe(false);
  expect(Object.keys(!r.ok ? r.errors : {}).sort()).toEqual(["dModel", "heads", "seed"]);
});
