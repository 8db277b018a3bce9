/** The Guide sheet: the model in one line, the sheets in the order the numbers flow, and how to play with it. */
import { describeStacks } from "../../model/architecture";
import type { BuildContext } from "../context";
import { SHEET_KINDS } from "../kinds";
import type { SheetLayout } from "../layout";
import { NOTES } from "../notes";

export function writeGuide(ctx: BuildContext, guide: SheetLayout): void {
  const { c, input } = ctx;
  guide.paragraph(`Attention Lab — preset "${input.preset}": ${input.description}`, "subheading");
  const positions = c.targetLen > 0 ? `${c.sourceLen} source positions, ${c.targetLen} decoder positions` : `${c.sourceLen} positions`;
  guide.paragraph(
    `${describeStacks(c)} (${SHEET_KINDS[c.kind].summary}); d_model ${c.dModel}, ${c.heads} heads of width ${c.dK}, feed-forward width ${c.dFF}, ${positions}, ${c.normalization === "softmax" ? "softmax" : "no softmax"}, ${c.scaled ? "scores scaled by 1/√d_k" : "no scaling"}.`,
  );
  guide.skip(1);
  guide.paragraph("The sheets, in the order the numbers flow:", "subheading");
  for (const s of ctx.sheets) {
    if (s === guide) continue;
    guide.paragraph(`${s.sheet.name}: ${s.sheet.purpose}`);
  }
  guide.skip(1);
  guide.paragraph("How to play with it", "subheading");
  for (const line of SHEET_KINDS[c.kind].generation ? NOTES.guideGenerate : NOTES.guide) guide.paragraph(line);
}
