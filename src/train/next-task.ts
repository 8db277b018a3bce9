/**
 * Resolves in a new task of the event loop, so that the UI, Excel's replies
 * and a Ctrl+C get in. A MessageChannel message, not setTimeout: a hidden
 * pane or a background tab throttles timers to about one a second, and
 * nested timers are clamped to 4 ms even in view.
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(undefined);
  });
}
