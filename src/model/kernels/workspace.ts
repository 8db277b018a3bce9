/**
 * A step's workspace: the buffers one training step (or one function call)
 * needs, kept from one step to the next. A step asks for its matrices in the
 * same order and sizes every time, so the workspace hands out the buffer it
 * handed out at the same point of the last step, zeroed, instead of
 * allocating. A buffer is reused only at the start of a later step: whatever
 * a step returns must therefore be copied out of it (matrix.ts's `inWorkspace`
 * runs only code that returns numbers, plain arrays or buffers it allocated
 * before).
 *
 * Where the buffers live is the kernel's choice (`place`): the WebAssembly
 * kernel lays them out in its own memory, so that its products read and
 * write them in place, with no copy in or out.
 */
export class Workspace {
  private views: Float64Array[] = [];
  private sizes: number[] = [];
  private next = 0;
  private depth = 0;
  /** The layout must be made again: a size changed, or a buffer did not fit. */
  private stale = true;

  /**
   * @param place lays out buffers of the given sizes (each zeroed) and returns them
   * @param fresh whether a buffer from the last layout is still usable (a grown WebAssembly memory invalidates its views)
   */
  constructor(
    private readonly place: (sizes: readonly number[]) => Float64Array[],
    private readonly fresh: (view: Float64Array) => boolean = () => true,
  ) {}

  /** Starts a step (a nested start joins the step in progress). */
  begin(): void {
    if (this.depth++ > 0) return;
    if (this.stale || this.views.some((v) => !this.fresh(v))) {
      this.views = this.place(this.sizes);
      this.stale = false;
    }
    this.next = 0;
  }

  /**
   * A zeroed buffer of `length` float64s, valid until the next step begins;
   * with `zeroed` false its values are whatever the last step left there (for
   * a caller that writes every one of them).
   */
  take(length: number, zeroed = true): Float64Array {
    const i = this.next++;
    const v = this.views[i];
    if (v !== undefined && v.length === length && this.fresh(v)) {
      if (zeroed) v.fill(0);
      return v;
    }
    // This step differs from the last one here: a plain buffer for now, and a new layout for the next step.
    this.sizes[i] = length;
    this.stale = true;
    const fresh = new Float64Array(length);
    this.views[i] = fresh;
    return fresh;
  }

  /** Ends the step; the layout keeps what this step asked for and no more. */
  end(): void {
    if (--this.depth > 0) return;
    if (this.sizes.length > this.next) {
      this.sizes.length = this.next;
      this.views.length = this.next;
      this.stale = true;
    }
  }

  /** Whether a step is in progress (the WebAssembly kernel then must not grow its memory). */
  get active(): boolean {
    return this.depth > 0;
  }

  /** Makes the next step lay its buffers out again (the kernel's scratch needs more room). */
  invalidate(): void {
    this.stale = true;
  }
}

/** A workspace in plain JavaScript arrays: the JavaScript kernel's. */
export function heapWorkspace(): Workspace {
  return new Workspace((sizes) => sizes.map((n) => new Float64Array(n)));
}
