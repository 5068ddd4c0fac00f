import { PYTHON_TRACEBACK_HELPERS } from './python-traceback'

/**
 * The Python side of the runner, defined once per interpreter in its own namespace. `run` executes
 * a program with fresh globals and the interpreter's shared state put back as it was, and turns
 * the outcome into 'ok', 'error' (traceback already on stderr) or 'interrupted'.
 */
export const PYTHON_DRIVER = String.raw`
import builtins, gc, linecache, signal, sys, time

# The driver's own builtins: a program that replaces one in the builtins module does not change them.
__builtins__ = dict(builtins.__dict__)
${PYTHON_TRACEBACK_HELPERS}

# The standard modules the driver and the test harness use, with their classes: put back before
# every run, so a program that patched one (json.dumps, say) leaves nothing for the next.
_KEPT_MODULES = (
    'gc', 'io', 'json', 'json.decoder', 'json.encoder', 'json.scanner', 'linecache', 'signal', 'time', 'traceback',
)
# What of sys a program may replace and the runner relies on; put back as they were.
_SYS_NAMES = (
    'modules', 'meta_path', 'path_hooks', 'path', 'path_importer_cache', 'stdout', 'stderr', 'stdin',
    'excepthook', 'displayhook', 'unraisablehook', 'breakpointhook',
    'settrace', 'setprofile', 'setrecursionlimit', 'set_int_max_str_digits',
)


def _snapshot(name):
    __import__(name)
    module = sys.modules[name]
    classes = [(c, dict(vars(c))) for c in vars(module).values() if isinstance(c, type) and c.__module__ == name]
    return module, dict(vars(module)), classes


_kept = [_snapshot(name) for name in _KEPT_MODULES]
_modules = dict(sys.modules)
_sys = {name: getattr(sys, name) for name in _SYS_NAMES}
_lists = [(sys.meta_path, list(sys.meta_path)), (sys.path_hooks, list(sys.path_hooks)), (sys.path, list(sys.path))]
_lists.append((gc.callbacks, list(gc.callbacks)))
_importer_cache = dict(sys.path_importer_cache)
# A program may shadow a stream's methods on the object itself (sys.stdout.write = ...).
_stream_attrs = [
    (part, dict(vars(part)))
    for stream in (sys.stdout, sys.stderr, sys.stdin)
    for part in (stream, getattr(stream, 'buffer', None), getattr(getattr(stream, 'buffer', None), 'raw', None))
    if hasattr(part, '__dict__')
]
_monitoring = (sys.monitoring.get_tool, sys.monitoring.clear_tool_id, sys.monitoring.free_tool_id)
_int_digits = sys.get_int_max_str_digits()
_set_signal_handler, _default_int_handler, _sigint = signal.signal, signal.default_int_handler, signal.SIGINT
_recursion_limit = sys.getrecursionlimit()
_builtins = dict(builtins.__dict__)
_eof_message = ''


def _restore_class(cls, saved):
    for key in [key for key in vars(cls) if key not in saved]:
        delattr(cls, key)
    for key, value in saved.items():
        if key not in vars(cls) or vars(cls)[key] is not value:
            setattr(cls, key, value)


def _restore():
    builtins.__dict__.clear()
    builtins.__dict__.update(_builtins)
    # Modules the last program imported are dropped (imported afresh when wanted), and the ones it
    # replaced or removed come back, as they were.
    for name, value in _sys.items():
        setattr(sys, name, value)
    for name in [name for name in sys.modules if name not in _modules]:
        del sys.modules[name]
    sys.modules.update(_modules)
    for module, attrs, classes in _kept:
        module.__dict__.clear()
        module.__dict__.update(attrs)
        for cls, saved in classes:
            _restore_class(cls, saved)
    for current, saved in _lists:
        current[:] = saved
    sys.path_importer_cache.clear()
    sys.path_importer_cache.update(_importer_cache)
    for part, attrs in _stream_attrs:
        vars(part).clear()
        vars(part).update(attrs)
    # And nothing a program left to run later: tracing, profiling, monitoring, gc callbacks.
    sys.settrace(None)
    sys.setprofile(None)
    get_tool, clear_tool_id, free_tool_id = _monitoring
    for tool in range(6):
        if get_tool(tool) is not None:
            clear_tool_id(tool)
            free_tool_id(tool)
    gc.enable()
    sys.set_int_max_str_digits(_int_digits)
    sys.setrecursionlimit(_recursion_limit)


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
    # Before the run rather than after the last one, and whole: a Stop that arrives meanwhile is
    # held until everything is back, then raised. Half put back, the interpreter could break.
    global _eof_message
    held = []
    _set_signal_handler(_sigint, lambda *args: held.append(True))
    _eof_message = eof_message
    _restore()
    builtins.input = _input
    time.sleep = _sleep
    _set_signal_handler(_sigint, _default_int_handler)
    if held:
        raise KeyboardInterrupt


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
        _sys['stdout'].flush()
        _sys['stderr'].flush()
`
