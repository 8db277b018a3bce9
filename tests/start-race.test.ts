/**
 * Build is on while start() still waits for the workbook's settings: when
 * they come, start must not overwrite what the build says.
 */
import { withRunOptions } from "../src/excel/store";
import { Controller } from "../src/taskpane/controller";
import { ExcelHost } from "../src/taskpane/host";
import { FakeExcel } from "./support/fake-excel";
import { SMALL_ENCODER_FIELDS } from "./support/pane-fields";

const fields = SMALL_ENCODER_FIELDS;

test("Build pressed while start() waits for Excel: start's answer does not replace the build's progress", async () => {
  const fake = new FakeExcel();
  const p = new Controller(new ExcelHost(withRunOptions(fake.run), fake.requirements), { waitNoticeMs: 60_000 });
  const release = fake.holdSyncs();
  const started = p.start();
  const building = p.build(fields);
  expect(p.state.busy).toBe("build");
  const seen: string[] = [];
  p.subscribe((s) => seen.push(s.status.text));
  release();
  await started;
  expect(p.state.status.text).not.toMatch(/^Ready\./);
  await building;
  expect(seen.filter((t) => /^Ready\./.test(t))).toEqual([]);
  expect(p.state.status.text).toMatch(/^Built 7 sheets/);
});
