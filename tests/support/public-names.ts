/**
 * Public names of the stacks and of a decoder-only model, written out from
 * the design's conventions (docs/architecture.md, "Named ranges" and
 * "Stacks and decoder-only models"), not from the code that makes them.
 */

/** Layer 2 of each stack of an encoder–decoder. */
export const LAYER2_NAMES = [
  "Enc2_H1_Wq",
  "Enc2_Wo",
  "Enc2_LN1_Gamma",
  "Enc2_FF_W1",
  "Enc2_Out",
  "Dec2_Self_H1_Wq",
  "Dec2_Cross_Wo",
  "Dec2_LN3_Beta",
  "Dec2_Out",
];

/** A decoder-only (gpt) workbook's blocks and generation cells. */
export const GPT_NAMES = [
  "Tokens",
  "Prompt_Length",
  "X",
  "Dec_H1_Wq",
  "Dec_Wo",
  "Dec_H1_Scores",
  "Dec_H1_Attn",
  "Dec_H1_Out",
  "Dec_LN1_Gamma",
  "Dec_FF_W1",
  "Dec_LN2_Beta",
  "Dec_Out",
  "Out_W",
  "Logits",
  "Probs",
  "Predicted",
  "Temperature",
  "Sampling_On",
  "Dice",
  "Generated",
  "Data_Source",
];

/** Layer 2 of a decoder-only model. */
export const GPT2_NAMES = ["Dec2_H1_Wq", "Dec2_Wo", "Dec2_H1_Attn", "Dec2_LN2_Beta", "Dec2_FF_W2", "Dec2_Out"];
