/**
 * The tests' Excel MATCH and ROW (tests/support/excel-lookup.ts) against the
 * behaviour Microsoft documents, so that a sheet test can fail where Excel
 * would go wrong.
 */
import { HyperFormula } from "hyperformula";
import { excelPattern, registerExcelLookup } from "./support/excel-lookup";

registerExcelLookup();

function evaluate(formula: string): unknown {
  const words = [["<pad>"], ["a"], ["café"], ["cat"], ["*"], ["?"]];
  const hf = HyperFormula.buildFromSheets(
    { S: [...words.map((w, i) => (i === 0 ? [...w, `=${formula}`] : w))] },
    { licenseKey: "gpl-v3", useArrayArithmetic: true, smartRounding: false },
  );
  const v = hf.getCellValue({ sheet: 0, row: 0, col: 1 });
  return v !== null && typeof v === "object" ? String((v as { type: unknown }).type) : v;
}

test.each([
  ['MATCH("c*",A1:A6,0)', 3], // "*" is any run of characters: the first word that starts with c
  ['MATCH("*",A1:A6,0)', 1],
  ['MATCH("?",A1:A6,0)', 2], // "?" is one character
  ['MATCH("ca~t",A1:A6,0)', 4], // "~" makes the next character plain, even a plain one
  ['MATCH("~*",A1:A6,0)', 5],
  ['MATCH("~?",A1:A6,0)', 6],
  ['MATCH("CAT",A1:A6,0)', 4], // case is ignored
  ['MATCH("dog",A1:A6,0)', "NA"],
  ["SUMPRODUCT(ROW(A1:A6))", 21], // ROW of a range is the column of its row numbers in an array calculation
  ['SUMPRODUCT(EXACT(A1:A6,"cat")*(ROW(A1:A6)-ROW(A1)+1))', 4],
  ["ROW(A3)", 3],
])("%s is %p, as in Excel", (formula, expected) => {
  expect(evaluate(formula)).toBe(expected);
});

test("a wildcard pattern covers the whole text", () => {
  expect(excelPattern("c*").test("a cat")).toBe(false);
  expect(excelPattern("c?t").test("cat")).toBe(true);
});
