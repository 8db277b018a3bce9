/**
 * Where ATTN.GENERATE finds the model: the workbook's own, read by the
 * shared runtime (the task pane registers a reader at start-up, since only
 * src/excel may touch Excel.*). Until one is registered, GENERATE says how
 * to get one.
 */
import type { ModelConfig, Params } from "../model/config";
import { ArgError } from "./errors";
import { t } from "../i18n";

/** A model as the workbook holds it: its settings and its weights. */
export interface ModelSnapshot {
  config: ModelConfig;
  params: Params;
  vocab: readonly string[];
}

export type ModelSource = () => Promise<ModelSnapshot | undefined>;

/**
 * Kept on the page's global object: the pane and the functions are two
 * bundles in one page (webpack.config.js), each with its own copy of this
 * module, so a module variable set by one would be unseen by the other.
 */
const KEY = "attentionLabModelSource";
const slot = globalThis as { [KEY]?: ModelSource };

export function provideModel(next: ModelSource): void {
  slot[KEY] = next;
}

export async function currentModel(): Promise<ModelSnapshot> {
  const source = slot[KEY];
  const model = source ? await source() : undefined;
  if (!model) throw new ArgError(t().fn.noModel, "notAvailable");
  return model;
}
