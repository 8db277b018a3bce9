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
