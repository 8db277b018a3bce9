// ATTN.* custom functions. The JSDoc of each function is what Excel shows in
// the formula bar: write it for the person typing the formula. The build
// (custom-functions-metadata-plugin) reads only `function` declarations and
// appends the CustomFunctions.associate calls to this file.
import packageJson from "../../package.json";

const invalid = (message: string) => new CustomFunctions.Error(CustomFunctions.ErrorCode.invalidValue, message);

/** Describes a cell value for an error message: what came in instead of a number. */
function describe(value: unknown): string {
  if (value === null || value === undefined || value === "") return "empty";
  if (typeof value === "number") return Number.isNaN(value) ? "not a number" : `${value}`;
  if (typeof value === "string") return `the text "${value}"`;
  return `a ${typeof value}`;
}

/**
 * The version of the Attention Lab add-in, for example "0.1.0".
 * @customfunction
 * @returns The add-in version.
 */
export function version(): string {
  return packageJson.version;
}

/**
 * Turns each row of scores into probabilities that add up to 1 (row-wise softmax): exp(score) divided by the row's sum of exp.
 * @customfunction
 * @param scores A range of numbers, for example an attention score matrix: one row per query, one column per key.
 * @returns {number[][]} A range of the same size; each row holds positive weights that sum to 1.
 */
export function softmax(scores: number[][]) {
  if (!Array.isArray(scores) || scores.length === 0 || !Array.isArray(scores[0]) || scores[0].length === 0) {
    return invalid("SOFTMAX expects a range of numbers but got an empty range.");
  }
  const columns = scores[0].length;
  for (let i = 0; i < scores.length; i++) {
    const row: unknown[] = scores[i];
    if (!Array.isArray(row) || row.length !== columns) {
      const got = Array.isArray(row) ? row.length : 0;
      return invalid(`SOFTMAX expects a rectangular range: row 1 has ${columns} values but row ${i + 1} has ${got}.`);
    }
    for (let j = 0; j < columns; j++) {
      const value = row[j];
      if (typeof value !== "number" || !Number.isFinite(value)) {
        return invalid(`SOFTMAX expects a number in every cell, but row ${i + 1}, column ${j + 1} is ${describe(value)}.`);
      }
    }
  }
  return scores.map((row) => {
    // Subtracting the row maximum keeps exp() from overflowing; it cancels in the ratio.
    const max = Math.max(...row);
    const exps = row.map((score) => Math.exp(score - max));
    const sum = exps.reduce((total, e) => total + e, 0);
    return exps.map((e) => e / sum);
  });
}
