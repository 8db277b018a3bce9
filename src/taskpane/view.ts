/**
 * The task pane's DOM: reads the fields, calls the controller, and renders
 * its state. Every text, including words that came from cells, goes in
 * through textContent: nothing from the workbook is ever parsed as HTML.
 */
import { t } from "../i18n";
import { PRESET_NAMES, type PresetName } from "../model/presets";
import { SHEET_KINDS } from "../sheet/kinds";
import { PROMPT_LENGTH, TASK_NAMES, type TaskName } from "../model/tasks";
import type { Controller, PaneState } from "./controller";
import { BuildFields, FieldName, presetDefaults, sentenceRole, TrainFields } from "./forms";
import { applyLanguage } from "./language";

const FIELDS: readonly FieldName[] = [
  "preset",
  "task",
  "sentence",
  "dModel",
  "heads",
  "dK",
  "layers",
  "seed",
  "style",
  "optimizer",
  "lr",
  "steps",
];

/** The Sentence field's label, hint and placeholder: a sentence the model reads, or a prompt it continues. */
function sentenceTexts(role: "sentence" | "prompt"): { label: string; hint: string; placeholder: string } {
  const T = t().pane;
  return role === "sentence" ? T.sentence : { ...T.prompt, placeholder: T.prompt.placeholder(PROMPT_LENGTH) };
}

const isPreset = (name: string): name is PresetName => (PRESET_NAMES as readonly string[]).includes(name);

function byId<T extends HTMLElement>(doc: Document, id: string): T {
  const el = doc.getElementById(id);
  if (!el) throw new Error(`the task pane has no element #${id}`);
  return el as T;
}

function fill(list: HTMLElement, items: readonly string[], className?: string): void {
  list.replaceChildren(
    ...items.map((text) => {
      const li = list.ownerDocument.createElement("li");
      li.textContent = text;
      if (className) li.className = className;
      return li;
    }),
  );
}

export class View {
  private controller?: Controller;
  private shownPreset?: string;
  private shownVocab?: readonly string[];
  private resetOpen = false;
  /** The state last rendered, to render again in another language. */
  private last?: PaneState;
  private wasBusy = false;
  /** The control that started the current action, to give focus back when the action ends and it is enabled again. */
  private trigger?: HTMLElement;
  private readonly el: {
    status: HTMLElement;
    statusText: HTMLElement;
    statusDetails: HTMLElement;
    form: HTMLFormElement;
    preset: HTMLSelectElement;
    presetHint: HTMLElement;
    task: HTMLSelectElement;
    sentenceLabel: HTMLElement;
    sentence: HTMLInputElement;
    sentenceHint: HTMLElement;
    useSentence: HTMLButtonElement;
    forgetSentence: HTMLButtonElement;
    embeddingHint: HTMLElement;
    useEmbedding: HTMLButtonElement;
    forgetEmbedding: HTMLButtonElement;
    dModel: HTMLInputElement;
    heads: HTMLInputElement;
    dK: HTMLInputElement;
    layers: HTMLInputElement;
    seed: HTMLInputElement;
    build: HTMLButtonElement;
    summary: HTMLElement;
    vocabDetails: HTMLElement;
    vocabCount: HTMLElement;
    vocab: HTMLElement;
    optimizer: HTMLSelectElement;
    lr: HTMLInputElement;
    steps: HTMLInputElement;
    trainStep: HTMLButtonElement;
    trainN: HTMLButtonElement;
    cancel: HTMLButtonElement;
    progress: HTMLProgressElement;
    progressLabel: HTMLElement;
    loss: HTMLElement;
    accuracy: HTMLElement;
    step: HTMLElement;
    undo: HTMLButtonElement;
    reset: HTMLButtonElement;
    undoHint: HTMLElement;
    confirm: HTMLElement;
    question: HTMLElement;
    resetYes: HTMLButtonElement;
    resetNo: HTMLButtonElement;
    dicePanel: HTMLElement;
    rollDice: HTMLButtonElement;
    tourPosition: HTMLElement;
    tourTitle: HTMLElement;
    tourText: HTMLElement;
    tourBack: HTMLButtonElement;
    tourNext: HTMLButtonElement;
    warningsPanel: HTMLElement;
    warnings: HTMLElement;
  };

  constructor(private readonly doc: Document) {
    const $ = <T extends HTMLElement>(id: string) => byId<T>(doc, id);
    this.el = {
      status: $("status"),
      statusText: $("status-text"),
      statusDetails: $("status-details"),
      form: $("build-form"),
      preset: $("preset"),
      presetHint: $("preset-hint"),
      task: $("task"),
      sentenceLabel: $("sentence-label"),
      sentence: $("sentence"),
      sentenceHint: $("sentence-hint"),
      useSentence: $("use-sentence"),
      forgetSentence: $("forget-sentence"),
      embeddingHint: $("embedding-hint"),
      useEmbedding: $("use-embedding"),
      forgetEmbedding: $("forget-embedding"),
      dModel: $("dModel"),
      heads: $("heads"),
      dK: $("dK"),
      layers: $("layers"),
      seed: $("seed"),
      build: $("build-button"),
      summary: $("model-summary"),
      vocabDetails: $("vocab-details"),
      vocabCount: $("vocab-count"),
      vocab: $("vocab"),
      optimizer: $("optimizer"),
      lr: $("lr"),
      steps: $("steps"),
      trainStep: $("train-step"),
      trainN: $("train-n"),
      cancel: $("cancel"),
      progress: $("progress"),
      progressLabel: $("progress-label"),
      loss: $("loss"),
      accuracy: $("accuracy"),
      step: $("step"),
      undo: $("undo"),
      reset: $("reset"),
      undoHint: $("undo-hint"),
      confirm: $("reset-confirm"),
      question: $("reset-question"),
      resetYes: $("reset-yes"),
      resetNo: $("reset-no"),
      dicePanel: $("dice-panel"),
      rollDice: $("roll-dice"),
      tourPosition: $("tour-position"),
      tourTitle: $("tour-step-title"),
      tourText: $("tour-text"),
      tourBack: $("tour-back"),
      tourNext: $("tour-next"),
      warningsPanel: $("warnings-panel"),
      warnings: $("warnings"),
    };
    const option = (value: string, text: string): HTMLOptionElement => {
      const o = doc.createElement("option");
      o.value = value;
      o.textContent = text;
      return o;
    };
    this.el.preset.append(...PRESET_NAMES.map((name) => option(name, name)));
    applyLanguage(doc);
    this.el.task.append(...TASK_NAMES.map((name) => option(name, t().pane.tasks[name])));
    this.selectionTexts();
    this.el.preset.value = "encoder";
    this.applyPresetDefaults();
  }

  /** Wires the controls to `controller` and renders its state from now on. */
  attach(controller: Controller): void {
    this.controller = controller;
    const e = this.el;
    e.preset.addEventListener("change", () => this.applyPresetDefaults());
    e.form.addEventListener("submit", (event) => {
      event.preventDefault();
      void controller.build(this.buildFields());
    });
    e.useSentence.addEventListener("click", () => void controller.useSelection("sentence", this.buildFields()));
    e.useEmbedding.addEventListener("click", () => void controller.useSelection("embedding", this.buildFields()));
    e.forgetSentence.addEventListener("click", () => controller.forgetSelection("sentence"));
    e.forgetEmbedding.addEventListener("click", () => controller.forgetSelection("embedding"));
    e.trainStep.addEventListener("click", () => void controller.train(this.trainFields(), 1));
    e.trainN.addEventListener("click", () => void controller.train(this.trainFields()));
    e.cancel.addEventListener("click", () => controller.cancel());
    e.undo.addEventListener("click", () => void controller.undo());
    e.reset.addEventListener("click", () => controller.requestReset());
    e.resetNo.addEventListener("click", () => controller.cancelReset());
    e.resetYes.addEventListener("click", () => void controller.confirmReset(e.seed.value));
    e.rollDice.addEventListener("click", () => void controller.rollDice());
    e.confirm.addEventListener("keydown", (event) => {
      if (event.key === "Escape") controller.cancelReset();
    });
    e.tourNext.addEventListener("click", () => void controller.tourNext());
    e.tourBack.addEventListener("click", () => void controller.tourBack());
    e.steps.addEventListener("input", () => this.labelTrainButton());
    controller.subscribe((s) => this.render(s));
  }

  private linked: PaneState["linked"] = {};

  private applyPresetDefaults(): void {
    const d = presetDefaults(this.el.preset.value);
    this.el.task.value = d.task;
    this.el.dModel.value = String(d.dModel);
    this.el.heads.value = String(d.heads);
    this.el.dK.value = String(d.dK);
    this.el.layers.value = String(d.layers);
    this.presetTexts();
    this.applyTrainDefaults(this.el.preset.value);
  }

  /** The preset's description and the Sentence field's texts, in the language in use. */
  private presetTexts(): void {
    const preset = this.el.preset.value;
    this.el.presetHint.textContent = isPreset(preset) ? t().presetDescription(preset) : "";
    const s = sentenceTexts(sentenceRole(preset));
    this.el.sentenceLabel.textContent = s.label;
    // A sentence picked from cells keeps its hint whatever the preset.
    this.el.sentenceHint.textContent = this.linked.sentence ? t().selection.sentenceHintLinked(this.linked.sentence) : s.hint;
    this.el.sentence.placeholder = s.placeholder;
  }

  /** Every text again, in the language now in use: the page's own, the task names, the preset's, and the state's. */
  relanguage(): void {
    applyLanguage(this.doc);
    for (const o of Array.from(this.el.task.options)) o.textContent = t().pane.tasks[o.value as TaskName];
    this.presetTexts();
    this.selectionTexts();
    this.labelTrainButton();
    if (this.last) this.render(this.last);
  }

  private applyTrainDefaults(preset: string): void {
    if (!(PRESET_NAMES as readonly string[]).includes(preset)) return;
    const d = presetDefaults(preset);
    this.el.optimizer.value = d.optimizer;
    this.el.lr.value = String(d.lr);
    this.el.steps.value = String(d.steps);
    this.labelTrainButton();
  }

  private selectionTexts(): void {
    const T = t().selection;
    this.el.useSentence.textContent = T.useSentence;
    this.el.useEmbedding.textContent = T.useEmbedding;
    this.el.forgetSentence.textContent = this.el.forgetEmbedding.textContent = T.forget;
  }

  private labelTrainButton(): void {
    const n = this.el.steps.value.trim();
    this.el.trainN.textContent = t().pane.trainN(/^\d+$/.test(n) ? n : undefined);
  }

  private buildFields(): BuildFields {
    const e = this.el;
    const style = this.doc.querySelector<HTMLInputElement>('input[name="style"]:checked')?.value ?? "";
    return {
      preset: e.preset.value,
      task: e.task.value,
      sentence: e.sentence.value,
      dModel: e.dModel.value,
      heads: e.heads.value,
      dK: e.dK.value,
      layers: e.layers.value,
      seed: e.seed.value,
      style,
    };
  }

  private trainFields(): TrainFields {
    return { optimizer: this.el.optimizer.value, lr: this.el.lr.value, steps: this.el.steps.value };
  }

  /** The sentence and embedding picked from the user's cells: said under their fields, with a way to forget them. */
  private renderLinked(s: PaneState): void {
    const e = this.el;
    this.linked = s.linked;
    const { sentence, embedding } = s.linked;
    // The Sentence field is not read while the sentence comes from cells.
    if (sentence) e.sentence.disabled = true;
    e.sentenceHint.textContent = sentence ? t().selection.sentenceHintLinked(sentence) : sentenceTexts(sentenceRole(e.preset.value)).hint;
    e.forgetSentence.hidden = !sentence;
    e.embeddingHint.hidden = !embedding;
    e.embeddingHint.textContent = embedding ? t().selection.embeddingHintLinked(embedding.where, embedding.rows, embedding.cols) : "";
    e.forgetEmbedding.hidden = !embedding;
  }

  render(s: PaneState): void {
    this.last = s;
    const T = t().pane;
    const e = this.el;
    const ready = s.mode === "ready";
    const idle = ready && !s.busy;
    const training = s.busy === "train";
    const startsBusy = !!s.busy && !this.wasBusy;
    const endsBusy = !s.busy && this.wasBusy;
    this.wasBusy = !!s.busy;
    if (startsBusy) this.trigger = (this.doc.activeElement as HTMLElement | null) ?? undefined;

    e.status.dataset.tone = s.busy && s.status.tone === "info" ? "busy" : s.status.tone;
    e.statusText.textContent = s.status.text;
    fill(e.statusDetails, s.details);
    e.statusDetails.hidden = s.details.length === 0;
    this.doc.body.dataset.mode = s.mode;
    this.doc.body.setAttribute("aria-busy", s.busy ? "true" : "false");

    for (const name of FIELDS) {
      const message = s.errors[name];
      const error = this.doc.getElementById(`${name}-error`);
      if (error) {
        error.textContent = message ?? "";
        error.hidden = !message;
      }
      const input = name === "style" ? this.doc.querySelector("fieldset") : this.doc.getElementById(name);
      if (input) {
        if (message) input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
      }
    }

    for (const control of Array.from(e.form.elements) as HTMLInputElement[]) control.disabled = !idle;
    this.renderLinked(s);
    for (const control of [e.optimizer, e.lr, e.steps]) control.disabled = !idle;
    e.trainStep.disabled = e.trainN.disabled = !idle;
    e.cancel.disabled = !training;
    e.undo.disabled = !idle || !s.undo;
    e.reset.disabled = !idle || !s.model;
    e.undo.textContent = s.undoLabel;
    e.dicePanel.hidden = !s.model || !SHEET_KINDS[s.model.config.kind].generation;
    e.rollDice.disabled = !idle;
    // A disabled button drops the focus: keep it where the keyboard user can act (Cancel while training, then the button that started it).
    if (startsBusy && training) e.cancel.focus();
    const lost = this.doc.activeElement === this.doc.body || (this.doc.activeElement as HTMLButtonElement | null)?.disabled;
    const back = this.trigger && e.confirm.contains(this.trigger) ? e.reset : this.trigger;
    if (endsBusy && lost && back && !(back as HTMLButtonElement).disabled) back.focus();

    const m = s.model;
    if (m && m.preset !== this.shownPreset) {
      this.shownPreset = m.preset;
      this.applyTrainDefaults(m.preset);
      // A reopened workbook: Reset should draw from the seed the weights came from.
      if (m.seed !== undefined) e.seed.value = String(m.seed);
    }
    e.summary.textContent = m ? T.summary(m.preset, m.config.dModel, m.config.heads, m.config.dK, t().stacks(m.config)) : T.noModel;
    e.vocabDetails.hidden = !m;
    e.vocabCount.textContent = String(m?.vocab.length ?? 0);
    // Re-filled only when the vocabulary changes: a render per training step must not rebuild hundreds of chips.
    if (m?.vocab !== this.shownVocab) fill(e.vocab, m?.vocab ?? [], "chip");
    this.shownVocab = m?.vocab;

    const p = s.progress ?? { done: 0, total: 0 };
    e.progress.max = Math.max(p.total, 1);
    e.progress.value = p.done;
    e.progressLabel.textContent = T.progress(p.done, p.total);
    e.loss.textContent = s.metrics ? s.metrics.loss.toFixed(4) : "–";
    e.accuracy.textContent = s.metrics ? `${(100 * s.metrics.accuracy).toFixed(1)}%` : "–";
    e.step.textContent = s.metrics ? String(s.metrics.step) : "–";
    e.undoHint.textContent = s.undo ?? "";

    if (s.confirmingReset) e.question.textContent = T.resetQuestion(e.seed.value.trim() || "?");
    e.confirm.hidden = !s.confirmingReset;
    if (s.confirmingReset !== this.resetOpen) {
      this.resetOpen = s.confirmingReset;
      // Focus follows the question: to the safe answer when it opens, back to the button when it closes.
      if (s.confirmingReset) e.resetNo.focus();
      else if (this.doc.activeElement === this.doc.body || e.confirm.contains(this.doc.activeElement)) e.reset.focus();
    }

    const { index, steps } = s.tour;
    const step = steps[index];
    e.tourPosition.textContent = steps.length === 0 ? "" : index < 0 ? T.tourSteps(steps.length) : T.tourStep(index + 1, steps.length);
    e.tourTitle.hidden = !step;
    e.tourTitle.textContent = step?.title ?? "";
    e.tourText.textContent = step ? step.text : m ? T.tourIntro : T.tourNoModel;
    e.tourBack.disabled = !ready || index <= 0;
    e.tourNext.disabled = !ready || steps.length === 0 || index >= steps.length - 1;

    fill(e.warnings, s.warnings);
    e.warningsPanel.hidden = s.warnings.length === 0;
  }
}
