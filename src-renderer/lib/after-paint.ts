// Work a keystroke causes but the screen does not wait for (counting the edit in the header,
// sending it) runs after the frame that shows the keystroke's result: otherwise it lands
// between the key and that frame and the teacher sees the mark a frame later. (The edit is
// written to this PC's outbox at once, before any of this.)

/** A hidden or minimised window draws no frames: the work then runs after this long at most. */
const NO_FRAME_WITHIN_MS = 100;

/** Runs `work` once, just after the next frame is painted (or soon, if no frame comes). */
export function afterNextPaint(work: () => void): void {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    work();
  };
  // A task queued from a frame's callback runs once that frame's paint is done.
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(run, 0));
  setTimeout(run, NO_FRAME_WITHIN_MS);
}
