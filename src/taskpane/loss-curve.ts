/**
 * The loss of the current training run as a line, drawn in SVG from the
 * progress the controller reports (one point per step), with the numbers in
 * words beside it. A new run starts a new curve; the last one stays until
 * then. No chart library and no style attribute (the pane's CSP).
 */
import type { PaneState } from "./controller";
import { t } from "../i18n";

/** The plot's own units; the SVG scales them to the pane's width. */
const W = 300;
const H = 120;
const PAD = 6;

export interface LossPoint {
  step: number;
  loss: number;
}

/** `points` as an SVG polyline's points: steps across, loss up, each axis stretched to its range. */
export function polylinePoints(points: readonly LossPoint[]): string {
  if (points.length === 0) return "";
  const steps = points.map((p) => p.step);
  const losses = points.map((p) => p.loss);
  const [s0, s1] = [Math.min(...steps), Math.max(...steps)];
  const [l0, l1] = [Math.min(...losses), Math.max(...losses)];
  const x = (s: number) => (s1 === s0 ? W / 2 : PAD + ((s - s0) / (s1 - s0)) * (W - 2 * PAD));
  const y = (l: number) => (l1 === l0 ? H / 2 : PAD + ((l1 - l) / (l1 - l0)) * (H - 2 * PAD));
  return points.map((p) => `${x(p.step).toFixed(2)},${y(p.loss).toFixed(2)}`).join(" ");
}

/** The curve in words: where it started and ended, and its lowest point. */
export function describeCurve(points: readonly LossPoint[]): string {
  if (points.length === 0) return t().pane.noRun;
  const first = points[0];
  const last = points[points.length - 1];
  const low = points.reduce((a, b) => (b.loss < a.loss ? b : a));
  return t().pane.curve(points.length, first.loss.toFixed(4), first.step, last.loss.toFixed(4), last.step, low.loss.toFixed(4), low.step);
}

function byId<T extends Element>(doc: Document, id: string): T {
  const el = doc.getElementById(id);
  if (!el) throw new Error(`the task pane has no element #${id}`);
  return el as unknown as T;
}

/** The points of the current run, from the pane's states: a run's start clears them, each newly reported step adds one. */
export class LossTrack {
  points: LossPoint[] = [];
  private training = false;
  /** The metrics of the run before, still in the state as a new run starts: not a point of it. */
  private before?: PaneState["metrics"];

  /** True when the points changed. */
  update(s: PaneState): boolean {
    const training = s.busy === "train";
    const starts = training && !this.training;
    this.training = training;
    if (starts) {
      this.points = [];
      this.before = s.metrics;
    }
    const m = s.metrics;
    if (!training || !m || m === this.before) return starts;
    if (this.points.length > 0 && this.points[this.points.length - 1].step === m.step) return starts;
    this.points.push({ step: m.step, loss: m.loss });
    return true;
  }
}

export class LossCurve {
  private readonly track = new LossTrack();
  private readonly svg: SVGSVGElement;
  private readonly line: SVGPolylineElement;
  private readonly desc: SVGDescElement;
  private readonly text: HTMLElement;

  constructor(doc: Document) {
    this.svg = byId(doc, "loss-svg");
    this.line = byId(doc, "loss-line");
    this.desc = byId(doc, "loss-svg-desc");
    this.text = byId(doc, "loss-summary");
    this.svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
    this.show();
  }

  /** Every text again, in the language now in use. */
  relanguage(): void {
    this.show();
  }

  /** Follows the pane's state. */
  render(s: PaneState): void {
    if (this.track.update(s)) this.show();
  }

  private show(): void {
    const points = this.track.points;
    this.line.setAttribute("points", polylinePoints(points));
    const words = describeCurve(points);
    this.desc.textContent = words;
    this.text.textContent = words;
  }
}
