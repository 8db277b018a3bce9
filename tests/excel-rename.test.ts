/**
 * The pure part of building into a workbook that already has sheets: free
 * sheet names, and rewriting every reference to a renamed sheet.
 */
import { freeSheetName, renamePlan, renameSheetRefs } from "../src/excel/rename";
import { parseSheetRange } from "../src/excel/address";
import type { WorkbookPlan } from "../src/sheet/plan";

describe("freeSheetName", () => {
  test("keeps a free name, numbers a taken one, and compares without case as Excel does", () => {
    expect(freeSheetName("Encoder", ["Input"])).toBe("Encoder");
    expect(freeSheetName("Encoder", ["encoder"])).toBe("Encoder (2)");
    expect(freeSheetName("Encoder", ["Encoder", "Encoder (2)", "ENCODER (3)"])).toBe("Encoder (4)");
  });

  test("shortens the name to Excel's 31 characters", () => {
    const long = "A sheet name of thirty-one char";
    expect(long).toHaveLength(31);
    const free = freeSheetName(long, [long]);
    expect(free).toBe("A sheet name of thirty-one (2)");
    expect(free.length).toBeLessThanOrEqual(31);
  });
});

describe("renameSheetRefs", () => {
  const renames = new Map([
    ["Encoder", "Encoder (2)"],
    ["Input", "Input (2)"],
  ]);

  test("rewrites quoted and bare references, and leaves other sheets alone", () => {
    expect(renameSheetRefs("MMULT('Encoder'!$C$5:$E$5,'Input'!$B$7:$B$9)", renames)).toBe(
      "MMULT('Encoder (2)'!$C$5:$E$5,'Input (2)'!$B$7:$B$9)",
    );
    expect(renameSheetRefs("Encoder!C5+Output!D4+encoder!A1", renames)).toBe("'Encoder (2)'!C5+Output!D4+'Encoder (2)'!A1");
    expect(renameSheetRefs("SUM($C$5:$E$5)", renames)).toBe("SUM($C$5:$E$5)");
  });

  test("leaves text in string literals and names that only end like a sheet alone", () => {
    expect(renameSheetRefs(`IF(A1="Encoder!","'Encoder'!",MyEncoder!A1)`, renames)).toBe(`IF(A1="Encoder!","'Encoder'!",MyEncoder!A1)`);
    expect(renameSheetRefs(`"say ""Input!"""&Input!B2`, renames)).toBe(`"say ""Input!"""&'Input (2)'!B2`);
  });

  test("quotes and un-doubles inner quotes of sheet names both ways", () => {
    const r = new Map([["Bob's", "Bob's (2)"]]);
    expect(renameSheetRefs("'Bob''s'!A1*2", r)).toBe("'Bob''s (2)'!A1*2");
    expect(renameSheetRefs("'Bob''s plan'!A1", r)).toBe("'Bob''s plan'!A1");
  });
});

test("renamePlan rewrites sheets, blocks, formulas, labels, charts and names, and copies rather than mutates", () => {
  const plan: WorkbookPlan = {
    sheets: [
      {
        name: "Encoder",
        purpose: "",
        texts: [],
        columnWidths: [],
        charts: [
          {
            title: "c",
            top: 0,
            left: 0,
            width: 2,
            height: 2,
            categories: "'Encoder'!$B$5",
            series: [{ name: "s", values: "'Encoder'!$C$5" }],
          },
        ],
        blocks: [
          {
            key: "K",
            named: true,
            sheet: "Encoder",
            title: "t",
            note: "",
            role: "computed",
            top: 4,
            left: 2,
            rows: 1,
            cols: 1,
            cells: [[{ formula: "'Input'!$B$2*2" }]],
            values: [[4]],
            rowLabels: [{ cell: { formula: "INDEX('Input'!$A$1:$A$3,1)" }, value: "a" }],
          },
        ],
      },
    ],
    names: [{ name: "K", sheet: "Encoder", range: "$C$5" }],
  };
  const before = JSON.stringify(plan);
  const out = renamePlan(
    plan,
    new Map([
      ["Encoder", "Encoder (2)"],
      ["Input", "Input (3)"],
    ]),
  );
  expect(JSON.stringify(plan)).toBe(before);
  const s = out.sheets[0];
  expect(s.name).toBe("Encoder (2)");
  expect(s.blocks[0].sheet).toBe("Encoder (2)");
  expect(s.blocks[0].cells[0][0]).toEqual({ formula: "'Input (3)'!$B$2*2" });
  expect(s.blocks[0].rowLabels?.[0].cell).toEqual({ formula: "INDEX('Input (3)'!$A$1:$A$3,1)" });
  expect(parseSheetRange(s.charts[0].categories).sheet).toBe("Encoder (2)");
  expect(parseSheetRange(s.charts[0].series[0].values).sheet).toBe("Encoder (2)");
  expect(out.names[0]).toEqual({ name: "K", sheet: "Encoder (2)", range: "$C$5" });
  expect(renamePlan(plan, new Map([["Encoder", "Encoder"]]))).toBe(plan);
});
