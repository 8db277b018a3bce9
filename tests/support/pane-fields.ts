import type { BuildFields } from "../../src/taskpane/forms";

/** The pane's Build form for a small encoder on the reverse task: quick to build and train on the fake. */
export const SMALL_ENCODER_FIELDS: BuildFields = {
  preset: "encoder",
  task: "reverse",
  sentence: "",
  dModel: "8",
  heads: "2",
  dK: "4",
  seed: "1",
  style: "cells",
};

/** The pane's Build form for a small encoder–decoder on the translation task, one layer per stack. */
export const SMALL_ENCODER_DECODER_FIELDS: BuildFields = {
  preset: "encoder-decoder",
  task: "translate",
  sentence: "",
  dModel: "8",
  heads: "2",
  dK: "4",
  layers: "1",
  seed: "3",
  style: "cells",
};

/** The pane's Build form for a small one-layer gpt on the stories task. */
export const SMALL_GPT_FIELDS: BuildFields = {
  preset: "gpt",
  task: "stories",
  sentence: "",
  dModel: "8",
  heads: "2",
  dK: "4",
  layers: "1",
  seed: "5",
  style: "cells",
};
