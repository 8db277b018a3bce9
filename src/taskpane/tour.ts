/**
 * The guided tour: the computation in the order the numbers flow, one block
 * of the workbook a step, explained with the same notes the sheets carry.
 */
import { AttentionBlock, AttentionRole, FfnBlock, ModelKind, NormBlock, architecture, attentionBlocks } from "../model/architecture";
import type { ModelConfig } from "../model/config";
import { NOTES } from "../sheet/notes";
import type { Topic } from "../sheet/plan";
import { t } from "../i18n";

export interface TourStep {
  title: string;
  /** The named range the step selects. */
  key: string;
  text: string;
  /** The blocks it covers (PlanBlock.explain): those of its topic, or for a step on one attention role, every block of that role. */
  topic?: Topic;
  role?: AttentionRole;
}

/** What the tour says of an attention role met after the first layer's (self-attention always comes first). */
function roleText(role: AttentionRole): string {
  const T = t().tour;
  return role === "masked" ? T.maskedText : role === "cross" ? T.crossText(NOTES.decTokens) : "";
}

/** The first block of a kind in the layer list's first layer, and every attention role met after it. */
export function tourSteps(c: ModelConfig): TourStep[] {
  const T = t().tour;
  const arch = architecture(c);
  const first = arch.layers[0];
  const attention = first.blocks.find((b): b is AttentionBlock => b.kind === "attention")!;
  const norm = first.blocks.find((b): b is NormBlock => b.kind === "norm")!;
  const ffn = first.blocks.find((b): b is FfnBlock => b.kind === "ffn")!;
  const softmax =
    c.normalization === "softmax" ? (attention.role === "masked" ? NOTES.attnCausal : NOTES.attn) : T.noSoftmax(NOTES.softmaxSwitch);
  const H = `${attention.name}_H1`;
  const steps: TourStep[] = [
    {
      title: T.embedding,
      key: "Embedding",
      topic: "embedding",
      text: T.embeddingText(NOTES.embedding.replace(T.embeddingLead, "")),
    },
    { title: T.posEnc, key: "PosEnc", topic: "position", text: `${NOTES.posEnc} ${NOTES.x}` },
    {
      title: T.qkv,
      key: `${H}_Q`,
      topic: "qkv",
      text: T.qkvText(NOTES.Q, NOTES.K, NOTES.V),
    },
    {
      title: T.scores,
      key: `${H}_Scores`,
      topic: "scores",
      text: attention.role === "masked" ? `${NOTES.scores} ${NOTES.scoresCausal}` : NOTES.scores,
    },
    { title: T.softmax, key: `${H}_Attn`, topic: "softmax", text: softmax },
    {
      title: T.weightedSum,
      key: `${H}_Out`,
      topic: "weightedSum",
      text: T.weightedSumText(NOTES.headOut),
    },
    {
      title: T.multiHead,
      key: `${attention.name}_MHA`,
      topic: "multiHead",
      text: T.multiHeadText(c.heads, NOTES.concat, NOTES.mha),
    },
    { title: T.residual, key: norm.out, topic: "norm", text: `${NOTES.residual} ${NOTES.layerNorm}` },
    {
      title: T.ffn,
      key: `${ffn.name}_Out`,
      topic: "ffn",
      text: T.ffnText(NOTES.hidden, NOTES.ffnOut, first.out),
    },
  ];
  const seen = new Set<AttentionRole>([attention.role]);
  for (const b of attentionBlocks(arch)) {
    if (seen.has(b.role)) continue;
    seen.add(b.role);
    steps.push({ title: T.roles[b.role], key: `${b.name}_H1_Attn`, role: b.role, text: roleText(b.role) });
  }
  const second = arch.layers.find((l) => l.index === 2);
  if (second) {
    steps.push({
      title: T.stack,
      key: second.out,
      text: T.stackText(t().stacks(c), arch.top.out),
    });
  }
  const kindText: Record<ModelKind, string> = {
    encoder: NOTES.predicted,
    "encoder-decoder": NOTES.predictedDecoder,
    "decoder-only": `${NOTES.probsTemperature} ${NOTES.predictedGenerated}`,
  };
  steps.push({ title: T.output, key: "Probs", topic: "output", text: `${NOTES.logits} ${NOTES.probs} ${kindText[c.kind]} ${T.training}` });
  return steps;
}
