/**
 * A Reset whose write fails leaves the pane and the workbook as they were:
 * Excel applies the commands of a failed batch that came before the failing
 * one (so half the weights may already be fresh), and the pane writes back
 * the weights it read. When even that fails, the reset stays on the undo
 * stack, so Undo can bring the weights back later.
 */
import type { Params } from "../src/model/config";
import { Controller } from "../src/taskpane/controller";
import { ExcelHost } from "../src/taskpane/host";
import type { Host } from "../src/taskpane/host";
import type { ParamStore } from "../src/train/store";
import { FakeExcel, parseAddress } from "./support/fake-excel";

/** Every value of a named block, read from the fake's cells. */
function block(fake: FakeExcel, name: string): unknown[][] {
  const { sheet, rect } = parseAddress(fake.nameRef(name)!);
  return Array.from({ length: rect.rows }, (_, i) =>
    Array.from({ length: rect.cols }, (_, j) => fake.sheetOrThrow(sheet!).cells.get(`${rect.top + i},${rect.left + j}`)?.value),
  );
}

const WEIGHTS = ["Embedding", "Enc_H1_Wq", "Enc_Wo", "Enc_FF_W1", "Out_W", "Out_B"];
const weights = (fake: FakeExcel) => Object.fromEntries(WEIGHTS.map((n) => [n, block(fake, n)]));

/** The workbook's store, except that the next `failures` writes fail: the first after putting half of the weights, the others at once. */
class FlakyStore implements ParamStore {
  private failed = 0;

  constructor(
    private readonly inner: ParamStore,
    private readonly host: { failures: number },
  ) {}

  read(): Promise<Params> {
    return this.inner.read();
  }

  async write(params: Params): Promise<void> {
    if (this.host.failures === 0) return this.inner.write(params);
    this.host.failures -= 1;
    const names = Object.keys(params);
    const written = this.failed++ === 0 ? names.length / 2 : 0;
    await this.inner.write(Object.fromEntries(names.slice(0, written).map((n) => [n, params[n]])));
    throw new Error("The request failed to complete (the connection to the workbook was lost).");
  }
}

async function trained(): Promise<{ fake: FakeExcel; pane: Controller; flaky: { failures: number } }> {
  const fake = new FakeExcel();
  const excel = new ExcelHost(fake.run, fake.requirements);
  const flaky = { failures: 0 };
  const host: Host = Object.assign(Object.create(excel) as ExcelHost, {
    store: (config: Parameters<Host["store"]>[0]) => new FlakyStore(excel.store(config), flaky),
  });
  const pane = new Controller(host);
  await pane.start();
  await pane.build({ preset: "encoder", task: "reverse", sentence: "", dModel: "8", heads: "2", dK: "4", seed: "1", style: "cells" });
  await pane.train({ optimizer: "adam", lr: "0.01", steps: "5" });
  expect(pane.state.status.text).toMatch(/^Trained 5 steps/);
  return { fake, pane, flaky };
}

test("a reset whose write fails puts the weights back, and leaves the undo stack and the step count as they were", async () => {
  const { fake, pane, flaky } = await trained();
  const before = weights(fake);
  const undoBefore = pane.state.undo;
  flaky.failures = 1;
  pane.requestReset();
  await pane.confirmReset("7");
  expect(pane.state.status.tone).toBe("error");
  expect(pane.state.status.text).toBe(
    "Reset failed: The request failed to complete (the connection to the workbook was lost). The weights you had are back in the workbook; nothing was reset.",
  );
  expect(weights(fake)).toEqual(before);
  expect(pane.state.undo).toBe(undoBefore);

  // Training goes on from step 5 with the same session, and Undo still undoes that run.
  await pane.train({ optimizer: "adam", lr: "0.01", steps: "2" });
  expect(block(fake, "Train_Log").map((r) => r[0])).toEqual([1, 2, 3, 4, 5, 6, 7]);
  await pane.undo();
  expect(weights(fake)).toEqual(before);
});

test("when putting the weights back fails too, the reset stays undoable", async () => {
  const { fake, pane, flaky } = await trained();
  const before = weights(fake);
  flaky.failures = 2;
  pane.requestReset();
  await pane.confirmReset("7");
  expect(pane.state.status.tone).toBe("error");
  expect(pane.state.status.text).toMatch(
    /^Reset failed: The request failed .* Some weights may already be reset: "Undo training" brings back the weights you had\.$/,
  );
  expect(weights(fake)).not.toEqual(before);
  expect(pane.state.undo).toMatch(/before "Reset weights"/);
  await pane.undo();
  expect(weights(fake)).toEqual(before);
});

test("a reset that fails before writing (the weights cannot be read) changes nothing and adds no undo entry", async () => {
  const { fake, pane } = await trained();
  const before = weights(fake);
  const undoBefore = pane.state.undo;
  fake.deleteName("Enc_Wo");
  pane.requestReset();
  await pane.confirmReset("7");
  expect(pane.state.status).toEqual({ text: "Reset failed:", tone: "error" });
  expect(pane.state.details).toEqual([
    "The named range Enc_Wo is missing: rebuild the workbook or restore the name (Formulas > Name Manager).",
  ]);
  expect(pane.state.undo).toBe(undoBefore);
  expect(Object.fromEntries(WEIGHTS.filter((n) => n !== "Enc_Wo").map((n) => [n, block(fake, n)]))).toEqual(
    Object.fromEntries(WEIGHTS.filter((n) => n !== "Enc_Wo").map((n) => [n, before[n]])),
  );
});
