# A function that reads its own code after initialisation (test/integration/handler_code.sh).
# reader.py INIT TASK CODE DATA: INIT is "import:MOD" (import it from TASK, as
# the runtime does: Python writes its .pyc then) or "read" (read CODE, as a
# runtime loading a .rb would). CODE may be a glob (a .pyc written at import).
# Then the first connect to the Runtime API ends initialisation, and CODE and
# DATA are read: one line each, "OK path" or "DENIED errno path".
import glob, importlib, os, socket, sys

init, task, code, data = sys.argv[1:5]
sys.path.insert(0, task)
if init.startswith("import:"):
    importlib.import_module(init[7:])
else:
    open(code, "rb").read()
code = (sorted(glob.glob(code)) or [code])[0]
print("INIT-OK", code, flush=True)
s = socket.socket()
try:
    s.connect(("127.0.0.1", int(os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")[1])))
except OSError:
    pass
for p in (code, data):
    try:
        open(p, "rb").read()
        print("OK", p)
    except OSError as e:
        print("DENIED", e.errno, p)
