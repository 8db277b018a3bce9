/**
 * Builds that finish, whatever the host says (issue 8, section 3), through
 * the pane's controller and the Excel adapter on the fake:
 * - a host that reports a requirement set and still turns down one of its
 *   calls (NotImplemented) costs the build only that extra: the pane warns,
 *   naming it, and the model trains;
 * - no host below the floor of SharedRuntime 1.1 (ExcelApi 1.10) exists;
 * - while the first sync has no answer, the pane says it is waiting for
 *   Excel, and goes on when Excel answers.
 */
import { withRunOptions } from "../src/excel/store";
import { Controller, waitingForExcel } from "../src/taskpane/controller";
import { ExcelHost } from "../src/taskpane/host";
import { FakeExcel } from "./support/fake-excel";
import { SMALL_ENCODER_FIELDS } from "./support/pane-fields";

const fields = SMALL_ENCODER_FIELDS;

function pane(fake: FakeExcel, waitNoticeMs?: number): Controller {
  return new Controller(new ExcelHost(withRunOptions(fake.run), fake.requirements), { waitNoticeMs });
}

/** What each extra leaves in the fake workbook, to see that the others arrived. */
const present = {
  notes: (f: FakeExcel) => f.sheets.some((s) => s.notes.size > 0) || f.comments.length > 0,
  "colour scales": (f: FakeExcel) => f.sheets.some((s) => s.conditionalFormats.length > 0),
  "column widths": (f: FakeExcel) => f.sheets.some((s) => s.columnWidths.size > 0),
  "frozen panes": (f: FakeExcel) => f.sheets.some((s) => s.frozen !== undefined),
  charts: (f: FakeExcel) => f.sheets.some((s) => s.charts.length > 0),
};

describe.each([
  { kind: "notes", command: "NoteCollection.add", apiVersion: 18, named: /explanations of the blocks \(notes or comments/ },
  { kind: "notes", command: "CommentCollection.add", apiVersion: 10, named: /explanations of the blocks \(notes or comments/ },
  { kind: "colour scales", command: "ConditionalFormatCollection.add", apiVersion: 18, named: /heat maps \(colour scales\)/ },
  { kind: "column widths", command: "RangeFormat.columnWidth", apiVersion: 18, named: /column widths/ },
  { kind: "frozen panes", command: "WorksheetFreezePanes.", apiVersion: 18, named: /frozen title rows/ },
  { kind: "charts", command: "ChartCollection.add", apiVersion: 18, named: /loss chart/ },
] as const)("a host that turns down $command (ExcelApi 1.$apiVersion)", ({ kind, command, apiVersion, named }) => {
  test("the build succeeds, the pane warns naming the feature, the other extras are there and the model trains", async () => {
    const fake = new FakeExcel({ apiVersion });
    fake.failCommand(command, "NotImplemented");
    const p = pane(fake);
    await p.start();
    await p.build(fields);
    expect(p.state.status).toEqual({ text: expect.stringMatching(/^Built 7 sheets/), tone: "ok" });
    const warned = p.state.warnings.filter((w) => /could not be added/.test(w));
    expect(warned).toEqual([expect.stringMatching(named)]);
    expect(warned[0]).toMatch(/NotImplemented/);
    expect(present[kind](fake)).toBe(false);
    for (const [other, has] of Object.entries(present)) if (other !== kind) expect([other, has(fake)]).toEqual([other, true]);
    expect(fake.nameRef("Enc_H1_Wq")).toMatch(/^Encoder!/);

    const weights = () => JSON.stringify(fake.grid("Encoder"));
    const before = weights();
    await p.train({ optimizer: "adam", lr: "0.01", steps: "1" }, 1);
    expect(p.state.status.text).toMatch(/^Trained 1 step in /);
    expect(weights()).not.toBe(before);
    // The Gradients sheet has the same extras, so the same one may be missing there: warned again, nothing else.
    for (const w of p.state.warnings.filter((x) => /could not be added/.test(x))) expect(w).toMatch(named);
  });
});

test("no host below ExcelApi 1.10 loads the add-in, so the fake has none", () => {
  expect(() => new FakeExcel({ apiVersion: 9 })).toThrow(/SharedRuntime 1\.1 comes with 1\.10 or later/);
  expect(new FakeExcel({ apiVersion: 10 }).requirements.isSetSupported("ExcelApi", "1.10")).toBe(true);
});

describe("the first sync without an answer", () => {
  test("the pane says what it does at once, then that it waits for Excel, and goes on when Excel answers", async () => {
    const fake = new FakeExcel();
    const release = fake.holdSyncs();
    const p = pane(fake, 30);
    const started = p.start();
    expect(p.state.status.text).toMatch(/^Looking for an Attention Lab model/);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(p.state.status).toEqual({ text: waitingForExcel(), tone: "info" });
    expect(waitingForExcel()).toMatch(/Excel may also be calculating/);
    release();
    await started;
    expect(p.state.status).toEqual({ text: expect.stringMatching(/press Build/), tone: "ok" });
  });

  test("an answer within the delay shows no waiting notice", async () => {
    const fake = new FakeExcel();
    const p = pane(fake, 5_000);
    const seen: string[] = [];
    p.subscribe((s) => seen.push(s.status.text));
    await p.start();
    expect(seen).not.toContain(waitingForExcel());
    expect(p.state.status.text).toMatch(/press Build/);
  });
});
