/**
 * The "waiting for Excel" notice on every host call the pane waits on
 * (office-js #806: on Windows, clicking the pane does not end cell-edit
 * mode, and every Excel.run of ours passes delayForCellEdit, so a batch
 * waits until the user leaves the cell): after waitNoticeMs without an
 * answer the status says why, and the status it replaced comes back with
 * the answer.
 */
import { withRunOptions } from "../src/excel/store";
import { Controller, waitingForExcel } from "../src/taskpane/controller";
import { ExcelHost } from "../src/taskpane/host";
import { FakeExcel } from "./support/fake-excel";
import { SMALL_ENCODER_FIELDS } from "./support/pane-fields";

const fields = SMALL_ENCODER_FIELDS;
const NOTICE_MS = 30;
const longer = () => new Promise((resolve) => setTimeout(resolve, 4 * NOTICE_MS));

function pane(fake: FakeExcel): { p: Controller; seen: string[] } {
  const p = new Controller(new ExcelHost(withRunOptions(fake.run), fake.requirements), { waitNoticeMs: NOTICE_MS });
  const seen: string[] = [];
  p.subscribe((s) => {
    if (seen[seen.length - 1] !== s.status.text) seen.push(s.status.text);
  });
  return { p, seen };
}

/** The status just before the notice comes back just after it. */
function restored(seen: string[]): void {
  const k = seen.indexOf(waitingForExcel());
  expect(k).toBeGreaterThan(0);
  expect(seen[k + 1]).toBe(seen[k - 1]);
}

test("the notice tells the user to leave the cell", () => {
  expect(waitingForExcel()).toMatch(
    /^Waiting for Excel: if you are typing in a cell, press Enter or Esc to finish; Excel may also be calculating\./,
  );
});

test("Build pressed while the user types in a cell: the notice after the delay, the build finishes once the user leaves the cell", async () => {
  const fake = new FakeExcel();
  const { p, seen } = pane(fake);
  await p.start();
  fake.enterEditMode();
  const building = p.build(fields);
  await longer();
  expect(p.state.status).toEqual({ text: waitingForExcel(), tone: "info" });
  expect(p.state.busy).toBe("build");
  fake.exitEditMode();
  await building;
  expect(p.state.status).toEqual({ text: expect.stringMatching(/^Built 7 sheets/), tone: "ok" });
  restored(seen);
  expect(fake.cellEdit.delayed).toBeGreaterThan(0);
});

const train = (p: Controller, steps: number) => p.train({ optimizer: "adam", lr: "0.01", steps: String(steps) });

describe.each([
  { action: "Train", before: async () => {}, act: (p: Controller) => train(p, 3), done: /^Trained 3 steps/ },
  {
    action: "Undo",
    before: (p: Controller) => train(p, 1),
    act: (p: Controller) => p.undo(),
    done: /^Restored the weights from before the last run/,
  },
  { action: "Reset", before: async () => {}, act: (p: Controller) => p.confirmReset("7"), done: /^Reset every weight from seed 7/ },
  { action: "the tour", before: async () => {}, act: (p: Controller) => p.tourNext(), done: /^Built 7 sheets/ },
])("$action while Excel does not answer", ({ before, act, done }) => {
  test("the notice after the delay, the previous status when Excel answers", async () => {
    const fake = new FakeExcel();
    const { p, seen } = pane(fake);
    await p.start();
    await p.build(fields);
    await before(p);
    const release = fake.holdSyncs();
    const call = act(p);
    seen.length = 0;
    seen.push(p.state.status.text);
    await longer();
    expect(p.state.status.text).toBe(waitingForExcel());
    release();
    await call;
    expect(p.state.status.text).toMatch(done);
    restored(seen);
  });
});

test("an answer within the delay shows no notice", async () => {
  const fake = new FakeExcel();
  const p = new Controller(new ExcelHost(withRunOptions(fake.run), fake.requirements), { waitNoticeMs: 5_000 });
  const seen: string[] = [];
  p.subscribe((s) => seen.push(s.status.text));
  await p.start();
  await p.build(fields);
  await p.train({ optimizer: "adam", lr: "0.01", steps: "2" });
  expect(seen).not.toContain(waitingForExcel());
});
