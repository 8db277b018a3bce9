/**
 * The head view without its DOM: which attention block and head the pane
 * shows, the weights last read from the sheet, and when to read them again
 * (the workbook recalculated, the user picked a block, or selected cells
 * inside one). Runs in node against the fake workbook.
 */
import { StateStore } from "./state-store";
import { attentionTargets, type AttentionRead, type AttentionTarget, type WorkbookListeners } from "../excel/attention-read";
import type { ModelConfig } from "../model/config";
import { messageOf, t } from "../i18n";

/** What the panel needs of the workbook; ExcelHost provides it. */
export interface AttentionSource {
  readAttention(config: ModelConfig, target: AttentionTarget): Promise<AttentionRead>;
  attentionAt(
    targets: readonly AttentionTarget[],
    worksheetId: string,
    address: string,
  ): Promise<{ block: string; head: number } | undefined>;
  watchWorkbook(listeners: WorkbookListeners): Promise<void>;
}

/** A head, 1-based, or every head at once in its own colour. */
export type HeadChoice = number | "all";

export interface PanelState {
  targets: AttentionTarget[];
  block?: string;
  head: HeadChoice;
  read?: AttentionRead;
  /** Why the weights could not be read; the last weights stay on screen. */
  error?: string;
}

export class AttentionPanel extends StateStore<PanelState> {
  private config?: ModelConfig;
  /** A read in flight; a request meanwhile sets `again`, so a burst of events costs one more read, not one each. */
  private reading?: Promise<void>;
  private again = false;
  /** While a build writes the sheets, their names point at blocks being replaced: no reads then. */
  private held = false;

  constructor(private readonly source: AttentionSource) {
    super({ targets: [], head: 1 });
  }

  /** Listens to the workbook from now on. */
  async start(): Promise<void> {
    await this.source.watchWorkbook({
      calculated: () => this.refresh(),
      selectionChanged: (id, address) => this.selected(id, address),
    });
  }

  /** Follows the pane: the model it shows, and whether a build is writing the sheets (reads wait until it is done). */
  follow(config: ModelConfig | undefined, building: boolean): void {
    void this.setModel(config);
    if (building === this.held) return;
    this.held = building;
    if (!building) void this.refresh();
  }

  /** The model in the workbook (undefined: none). A new shape starts at its first block. */
  async setModel(config: ModelConfig | undefined): Promise<void> {
    if (JSON.stringify(config) === JSON.stringify(this.config)) return;
    this.config = config;
    const targets = config ? attentionTargets(config) : [];
    this.set({ targets, block: targets[0]?.block, head: 1, read: undefined, error: undefined });
    if (config) await this.refresh();
  }

  async choose(block: string, head: HeadChoice): Promise<void> {
    const target = this.current.targets.find((t) => t.block === block);
    if (!target) return;
    const sameBlock = block === this.current.block;
    this.set({ block, head: head === "all" ? "all" : Math.min(Math.max(1, head), target.heads) });
    if (!sameBlock || !this.current.read) await this.refresh();
  }

  private async selected(worksheetId: string, address: string): Promise<void> {
    if (!this.config || this.current.targets.length === 0) return;
    try {
      const at = await this.source.attentionAt(this.current.targets, worksheetId, address);
      if (at) await this.choose(at.block, at.head);
    } catch {
      // A selection the pane cannot place leaves the view as it is.
    }
  }

  /** Reads the shown block again; resolves once the weights on screen are at least as new as the call. */
  refresh(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = (async () => {
      do {
        this.again = false;
        await this.readOnce();
      } while (this.again);
      this.reading = undefined;
    })();
    return this.reading;
  }

  private async readOnce(): Promise<void> {
    const config = this.config;
    const target = this.current.targets.find((t) => t.block === this.current.block);
    if (!config || !target || this.held) return;
    try {
      const read = await this.source.readAttention(config, target);
      // The model or the block changed while this read was under way: the next read is the one to show.
      if (config !== this.config || target.block !== this.current.block) this.again = true;
      else this.set({ read, error: undefined });
    } catch (e) {
      this.set({ error: t().pane.couldNotRead(target.block, messageOf(e)) });
    }
  }
}
