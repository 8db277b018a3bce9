/**
 * The pane's loss curve without its DOM: the polyline's coordinates,
 * computed here by hand, and which of the pane's states become points.
 */
import type { PaneState } from "../src/taskpane/controller";
import { describeCurve, LossTrack, polylinePoints } from "../src/taskpane/loss-curve";

test("steps run left to right over 6..294 and the loss top to bottom over 6..114 of the 300 × 120 plot", () => {
  // x = 6 + (step − 1) / 2 · 288, y = 6 + (2 − loss) / 2 · 108.
  expect(
    polylinePoints([
      { step: 1, loss: 2 },
      { step: 2, loss: 1.5 },
      { step: 3, loss: 0 },
    ]),
  ).toBe("6.00,6.00 150.00,33.00 294.00,114.00");
  expect(polylinePoints([{ step: 7, loss: 1 }])).toBe("150.00,60.00");
  expect(polylinePoints([])).toBe("");
});

test("the curve in words names the first, last and lowest steps", () => {
  expect(
    describeCurve([
      { step: 4, loss: 2 },
      { step: 5, loss: 0.5 },
      { step: 6, loss: 0.75 },
    ]),
  ).toBe("Loss over 3 steps: 2.0000 at step 4, 0.7500 at step 6; lowest 0.5000 at step 5.");
});

test("a point per reported step of the run under way; a new run starts a new curve without the last run's final metrics", () => {
  const state = (busy: PaneState["busy"], metrics?: PaneState["metrics"]): PaneState => ({
    mode: "ready",
    busy,
    metrics,
    status: { text: "", tone: "info" },
    details: [],
    errors: {},
    undoLabel: "",
    confirmingReset: false,
    tour: { index: -1, steps: [] },
    warnings: [],
    linked: {},
  });
  const track = new LossTrack();
  const m = (step: number, loss: number) => ({ step, loss, accuracy: 0 });
  track.update(state("train"));
  const last = m(2, 1.5);
  for (const s of [m(1, 2), last, last]) track.update(state("train", s));
  track.update(state(undefined, last));
  expect(track.points).toEqual([
    { step: 1, loss: 2 },
    { step: 2, loss: 1.5 },
  ]);
  // The next run begins while the state still shows step 2's metrics.
  track.update(state("train", last));
  expect(track.points).toEqual([]);
  track.update(state("train", m(3, 1.2)));
  expect(track.points).toEqual([{ step: 3, loss: 1.2 }]);
});
