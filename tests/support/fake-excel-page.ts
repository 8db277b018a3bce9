/**
 * Browser entry for the task pane tests: a FakeExcel as `window.Excel` and a
 * stub `Office` that says it runs in Excel, so the real pane code runs on
 * the fake. The fake stays reachable as `window.__fake` for the test's checks.
 */
import { FakeExcel } from "./fake-excel";

const fake = new FakeExcel();
const { Excel, Office } = fake.globals();
Object.assign(window as unknown as Record<string, unknown>, {
  __fake: fake,
  Excel,
  Office: { ...Office, HostType: { Excel: "Excel" } },
});
