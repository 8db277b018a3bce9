/**
 * The loss chart is an extra (issue 8, section 3): a host that turns down a
 * chart call (NotImplemented, though it reports the requirement set) costs
 * the training log only the chart. A failed command ends its request and the
 * commands behind it are not run, while those before it stay done (the
 * fake, as OfficeExtension.Error's traceMessages example documents), so the
 * steps must be written in a sync of their own before the chart is touched.
 */
import { applyPlan } from "../src/excel/apply";
import { appendLog, LOG_NAME } from "../src/excel/log";
import { build } from "./support/builds";
import { FakeExcel } from "./support/fake-excel";

const { plan } = build("encoder", 11);
const rows = (from: number, n: number) =>
  Array.from({ length: n }, (_, k) => ({ step: from + k, loss: 2 / (from + k), accuracy: 0.1 * k, seconds: 0.5 * k }));

describe.each(["Chart.setData", "ChartSeries.setXAxisValues", "ChartSeries.name"])("a host that turns down %s", (command) => {
  test("the steps are logged and the name stretched; the warning names the loss chart and what Excel said", async () => {
    const fake = new FakeExcel();
    await applyPlan(fake.context(), plan, { requirements: fake.requirements });
    expect(fake.sheet("Training")!.charts).toHaveLength(1);
    fake.failCommand(command, "NotImplemented");
    const report = await appendLog(fake.context(), rows(1, 3));
    expect(report.rows).toBe(3);
    expect(report.warnings).toEqual([
      expect.stringMatching(
        /^The loss chart could not be stretched over the new steps \(Excel said NotImplemented: .*\)\. The steps are in the log/,
      ),
    ]);
    const log = fake.nameRef(LOG_NAME)!;
    expect(log).toMatch(/^Training!\$[A-Z]+\$\d+:\$[A-Z]+\$\d+$/);
    const [, first, last] = /!\$[A-Z]+\$(\d+):\$[A-Z]+\$(\d+)$/.exec(log)!;
    expect(Number(last) - Number(first) + 1).toBe(3);
    const again = await appendLog(fake.context(), rows(4, 2));
    expect(again.rows).toBe(5);
  });
});
