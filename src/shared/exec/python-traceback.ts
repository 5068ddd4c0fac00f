/**
 * Python helpers shared by the runner's driver and the test harness, defined at the top level of
 * the program that uses them.
 *
 * `_duet_describe(exc, filename)` formats an exception from the program's first frame on, without
 * the runner's own frames (files named `<duet-…>`), and then frees its traceback. A traceback thousands of frames deep (recursion after
 * sys.setrecursionlimit) needs care: freeing it at once frees frame after frame recursively, which
 * overflows the browser's stack and kills the interpreter, so it is unlinked and freed from the
 * deepest frame up; and formatting a million frames takes seconds, so only the two ends are shown.
 */
export const PYTHON_TRACEBACK_HELPERS = String.raw`
import traceback as _duet_traceback

_DUET_FRAMES_KEPT = 100


def _duet_tracebacks(exc):
    tbs = []
    tb = exc.__traceback__
    while tb is not None:
        tbs.append(tb)
        tb = tb.tb_next
    return tbs


def _duet_drop(tbs):
    for i in range(len(tbs)):
        tbs[i].tb_next = None
    while tbs:
        tbs.pop()


def _duet_free(exc):
    seen, todo = [], [exc]
    while todo:
        e = todo.pop()
        if e is None or any(e is s for s in seen):
            continue
        seen.append(e)
        todo += [e.__cause__, e.__context__]
        tbs = _duet_tracebacks(e)
        e.__traceback__ = None
        _duet_drop(tbs)


def _duet_describe(exc, filename):
    tbs = _duet_tracebacks(exc)
    start = 0
    while start < len(tbs) and tbs[start].tb_frame.f_code.co_filename != filename:
        start += 1
    shown = tbs[start:]
    # The runner's own frames (its input() and time.sleep()) come last and mean nothing to the user.
    while shown and shown[-1].tb_frame.f_code.co_filename.startswith('<duet-'):
        shown.pop()
    kept = _DUET_FRAMES_KEPT
    omitted = len(shown) - 2 * kept
    if omitted > 0:
        shown = shown[:kept] + shown[-kept:]
    # From the end: setting tb_next walks the new chain to rule out a loop, so keep it short.
    for i in reversed(range(len(shown))):
        shown[i].tb_next = shown[i + 1] if i + 1 < len(shown) else None
    text = ''.join(_duet_traceback.format_exception(type(exc), exc, shown[0] if shown else None))
    if omitted > 0:
        text += '(' + str(omitted) + ' frames in the middle of this traceback are not shown)\n'
    del shown
    exc.__traceback__ = None
    _duet_drop(tbs)
    _duet_free(exc)
    return text
`
