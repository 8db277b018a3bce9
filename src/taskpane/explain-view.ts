/**
 * The DOM of "Explain this cell": the explanation's text in a polite live
 * region (a screen reader reads each new explanation), the weight's
 * training notes, one button per input that selects it in the workbook,
 * and a button to the tour step that covers the block. Every string comes
 * from t().explain, read when shown; words from the workbook go in through textContent.
 */
import type { ExplainPanel, ExplainState } from "./explain-panel";
import { t } from "../i18n";

/** This module's texts in the language in use, read when shown. */
const T = () => t().explain;

function byId<T extends HTMLElement>(doc: Document, id: string): T {
  const el = doc.getElementById(id);
  if (!el) throw new Error(`the task pane has no element #${id}`);
  return el as T;
}

export class ExplainView {
  private readonly el: {
    where: HTMLElement;
    what: HTMLElement;
    holds: HTMLElement;
    error: HTMLElement;
    training: HTMLElement;
    inputsTitle: HTMLElement;
    inputs: HTMLElement;
    tour: HTMLElement;
    tourGo: HTMLButtonElement;
  };
  private panel?: ExplainPanel;
  private goToStep?: (index: number) => void;
  private step = -1;

  constructor(private readonly doc: Document) {
    const $ = <E extends HTMLElement>(id: string) => byId<E>(doc, id);
    this.label();
    this.el = {
      where: $("explain-where"),
      what: $("explain-what"),
      holds: $("explain-holds"),
      error: $("explain-error"),
      training: $("explain-training"),
      inputsTitle: $("explain-inputs-title"),
      inputs: $("explain-inputs"),
      tour: $("explain-tour"),
      tourGo: $("explain-tour-go"),
    };
    this.el.tourGo.addEventListener("click", () => {
      if (this.step >= 0) this.goToStep?.(this.step);
    });
    this.render({ message: T().noModel });
  }

  /** The language changed: the fixed texts are set again (the panel says its state again through `render`). */
  relanguage(): void {
    this.label();
    if (!this.panel) this.render({ message: T().noModel });
  }

  private label(): void {
    byId(this.doc, "explain-title").textContent = T().heading;
    byId(this.doc, "explain-intro").textContent = T().intro;
    byId(this.doc, "explain-inputs-title").textContent = T().inputsHeading;
  }

  /** Renders `panel`'s state from now on; the tour button calls `goToStep` with the step's index. */
  attach(panel: ExplainPanel, goToStep: (index: number) => void): void {
    this.panel = panel;
    this.goToStep = goToStep;
    panel.subscribe((s) => this.render(s));
  }

  render(s: ExplainState): void {
    const e = this.el;
    const x = s.explanation;
    e.where.hidden = !x;
    e.where.textContent = x?.where ?? "";
    e.what.textContent = x ? x.what : s.message;
    e.holds.textContent = x?.holds ?? "";
    e.holds.hidden = !x;
    e.error.textContent = s.error ?? "";
    e.error.hidden = !s.error;

    e.training.replaceChildren(...(x?.training ?? []).map((t) => this.item(t)));
    e.training.hidden = !x || x.training.length === 0;

    // A redraw (the workbook recalculated) keeps the keyboard on the input button it was on.
    const was = Array.from(e.inputs.querySelectorAll("button")).indexOf(this.doc.activeElement as HTMLButtonElement);
    e.inputsTitle.hidden = !x;
    e.inputs.replaceChildren(
      ...(x ? (x.inputs.length > 0 ? x.inputs.map((input, k) => this.inputButton(input.label, k)) : [this.item(T().noInputs)]) : []),
    );
    if (was >= 0) e.inputs.querySelectorAll("button")[was]?.focus();

    this.step = x?.tour?.index ?? -1;
    e.tour.hidden = !x;
    e.tour.textContent = x ? (x.tour ? T().tour(x.tour.index + 1, x.tour.title) : T().noTour) : "";
    e.tourGo.hidden = !x?.tour;
    e.tourGo.textContent = x?.tour ? T().tourButton(x.tour.index + 1) : "";
  }

  private item(text: string): HTMLLIElement {
    const li = this.doc.createElement("li");
    li.textContent = text;
    return li;
  }

  private inputButton(label: string, k: number): HTMLLIElement {
    const li = this.doc.createElement("li");
    const b = this.doc.createElement("button");
    b.type = "button";
    b.className = "explain-input";
    b.textContent = T().selectInput(label);
    b.addEventListener("click", () => void this.panel?.selectInput(k));
    li.append(b);
    return li;
  }
}
