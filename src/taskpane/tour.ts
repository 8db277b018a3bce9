/**
 * The guided tour: the computation in the order the numbers flow, one block
 * of the workbook a step, explained with the same notes the sheets carry.
 */
import {
  AttentionBlock,
  AttentionRole,
  FfnBlock,
  ModelKind,
  NormBlock,
  architecture,
  attentionBlocks,
  describeStacks,
} from "../model/architecture";
import type { ModelConfig } from "../model/config";
import { NOTES } from "../sheet/notes";
import type { Topic } from "../sheet/plan";

export interface TourStep {
  title: string;
  /** The named range the step selects. */
  key: string;
  text: string;
  /** The blocks it covers (PlanBlock.explain): those of its topic, or for a step on one attention role, every block of that role. */
  topic?: Topic;
  role?: AttentionRole;
}

const ROLE_STEPS: Record<AttentionRole, { title: string; text: string }> = {
  self: { title: "Self-attention", text: "" },
  masked: {
    title: "Masked self-attention",
    text: "Masked self-attention, selected here, lets each position look only at the positions up to its own: the cells right of the diagonal are 0, so a position cannot peek at the words that come after it.",
  },
  cross: {
    title: "Cross-attention",
    text: `${NOTES.decTokens} Cross-attention, selected here, takes its queries from the decoder and its keys and values from the encoder's output: each row shows which source words that output position draws from.`,
  },
};

/** The first block of a kind in the layer list's first layer, and every attention role met after it. */
export function tourSteps(c: ModelConfig): TourStep[] {
  const arch = architecture(c);
  const first = arch.layers[0];
  const attention = first.blocks.find((b): b is AttentionBlock => b.kind === "attention")!;
  const norm = first.blocks.find((b): b is NormBlock => b.kind === "norm")!;
  const ffn = first.blocks.find((b): b is FfnBlock => b.kind === "ffn")!;
  const softmax =
    c.normalization === "softmax"
      ? attention.role === "masked"
        ? NOTES.attnCausal
        : NOTES.attn
      : `This model has softmax turned off, as the original demo had: the "weights" are the raw scores. ${NOTES.softmaxSwitch}`;
  const H = `${attention.name}_H1`;
  const steps: TourStep[] = [
    {
      title: "Embedding",
      key: "Embedding",
      topic: "embedding",
      text: `A transformer reads numbers, not words: each token is replaced by its word's row of this block, a learned vector of d_model numbers. ${NOTES.embedding.replace(/^Each word's learned vector\. /, "")}`,
    },
    { title: "Positional encoding", key: "PosEnc", topic: "position", text: `${NOTES.posEnc} ${NOTES.x}` },
    {
      title: "Queries, keys and values",
      key: `${H}_Q`,
      topic: "qkv",
      text: `Each head projects every token three ways. ${NOTES.Q} ${NOTES.K} ${NOTES.V} The selected block is head 1's queries; its keys and values sit to the right.`,
    },
    {
      title: "Scores",
      key: `${H}_Scores`,
      topic: "scores",
      text: attention.role === "masked" ? `${NOTES.scores} ${NOTES.scoresCausal}` : NOTES.scores,
    },
    { title: "Softmax", key: `${H}_Attn`, topic: "softmax", text: softmax },
    {
      title: "Weighted sum",
      key: `${H}_Out`,
      topic: "weightedSum",
      text: `${NOTES.headOut} A token that attends strongly to one other token mostly copies that token's value row.`,
    },
    {
      title: "Multi-head attention",
      key: `${attention.name}_MHA`,
      topic: "multiHead",
      text: `This model has ${c.heads} ${c.heads === 1 ? "head" : "heads"}, each with its own Wq, Wk and Wv, so each can look for something different. ${NOTES.concat} ${NOTES.mha}`,
    },
    { title: "Residual and LayerNorm", key: norm.out, topic: "norm", text: `${NOTES.residual} ${NOTES.layerNorm}` },
    {
      title: "Feed-forward network",
      key: `${ffn.name}_Out`,
      topic: "ffn",
      text: `${NOTES.hidden} ${NOTES.ffnOut} Another residual sum and LayerNorm follow, giving the layer's output ${first.out}.`,
    },
  ];
  const seen = new Set<AttentionRole>([attention.role]);
  for (const b of attentionBlocks(arch)) {
    if (seen.has(b.role)) continue;
    seen.add(b.role);
    steps.push({ title: ROLE_STEPS[b.role].title, key: `${b.name}_H1_Attn`, role: b.role, text: ROLE_STEPS[b.role].text });
  }
  const second = arch.layers.find((l) => l.index === 2);
  if (second) {
    steps.push({
      title: "A stack of layers",
      key: second.out,
      text: `This model has ${describeStacks(c)}. Layer 2 reads layer 1's output and computes the same blocks with its own weights, and so on up the stack; the output layer reads the top layer, ${arch.top.out}.`,
    });
  }
  const kindText: Record<ModelKind, string> = {
    encoder: NOTES.predicted,
    "encoder-decoder": NOTES.predictedDecoder,
    "decoder-only": `${NOTES.probsTemperature} ${NOTES.predictedGenerated}`,
  };
  steps.push({ title: "Output", key: "Probs", topic: "output", text: `${NOTES.logits} ${NOTES.probs} ${kindText[c.kind]}` });
  return steps;
}
