/**
 * A piece of the pane's state that views follow: the current value, and
 * listeners called with it now and after every change. The controller and
 * the attention and explanation panels each keep theirs in one.
 */
export class StateStore<S extends object> {
  private readonly listeners = new Set<(s: S) => void>();

  constructor(protected current: S) {}

  get state(): S {
    return this.current;
  }

  /** Calls `listener` now and after every change; the function returned stops it. */
  subscribe(listener: (s: S) => void): () => void {
    this.listeners.add(listener);
    listener(this.current);
    return () => this.listeners.delete(listener);
  }

  protected set(patch: Partial<S>): void {
    this.current = { ...this.current, ...patch };
    for (const l of this.listeners) l(this.current);
  }
}
