import { PYTHON_TRACEBACK_HELPERS } from './python-traceback'

/**
 * The Python side of the runner, defined once per interpreter in its own namespace. `run` executes
 * a program with fresh globals and the interpreter's shared state put back as it was, and turns
 * the outcome into 'ok', 'error' (traceback already on stderr) or 'interrupted'.
 */
export const PYTHON_DRIVER = String.raw`
import builtins, linecache, signal, sys, time
${PYTHON_TRACEBACK_HELPERS}

_streams = (sys.stdout, sys.stderr, sys.stdin)
_recursion_limit = sys.getrecursionlimit()
_builtins = dict(builtins.__dict__)
_eof_message = ''


def _input(prompt=''):
    # As input() does when stdin is not a terminal, with an end-of-input message that says what to do.
    sys.stdout.write(str(prompt))
    sys.stdout.flush()
    line = sys.stdin.readline()
    if not line:
        raise EOFError(_eof_message)
    return line[:-1] if line.endswith('\n') else line


_sleep_for = time.sleep


def _sleep(seconds):
    # Pyodide's sleep cannot see an interrupt, so Stop would have to replace the worker; short
    # naps in a Python loop let the interpreter check for it.
    if seconds < 0:
        raise ValueError('sleep length must be non-negative')
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        _sleep_for(min(left, 0.001))


def _reset(eof_message):
    global _eof_message
    _eof_message = eof_message
    sys.stdout, sys.stderr, sys.stdin = _streams
    sys.setrecursionlimit(_recursion_limit)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    builtins.__dict__.clear()
    builtins.__dict__.update(_builtins)
    builtins.input = _input
    time.sleep = _sleep


def run(code, filename, eof_message):
    _reset(eof_message)
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    namespace = {'__name__': '__main__', '__builtins__': builtins}
    try:
        exec(compile(code, filename, 'exec'), namespace)
        return 'ok'
    except KeyboardInterrupt as exc:
        _duet_free(exc)
        return 'interrupted'
    except SystemExit as exc:
        # sys.exit(): 0 or None is success; a message is printed as Python prints it.
        code = exc.code
        _duet_free(exc)
        if code is None or code == 0:
            return 'ok'
        if not isinstance(code, int):
            sys.stderr.write(str(code) + '\n')
        return 'error'
    except BaseException as exc:
        # From the program's first frame: the driver's own frames mean nothing to the user.
        sys.stderr.write(_duet_describe(exc, filename))
        return 'error'
    finally:
        namespace.clear()
        for stream in _streams[:2]:
            stream.flush()
`
