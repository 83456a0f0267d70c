"""`crossexec serve [--host 127.0.0.1] [--port 8000] [--rules DIR] [--workers N] [--timeout S]`."""
from __future__ import annotations

import sys

from ..errors import InputError


def run_serve(args) -> int:
    try:
        import uvicorn
        from .app import create_app
    except ImportError as e:       # installed without the web extra
        raise InputError("crossexec serve", "", f"the server needs FastAPI and uvicorn ({e.name} is missing); "
                         "install them with: pip install 'crossexec[web]'") from None
    from .. import RULES
    from pathlib import Path
    rules = Path(args.rules) if args.rules else RULES
    if not rules.is_dir():
        raise InputError(str(rules), "--rules", "expected a rules folder with core/, cited/ and guidance/")
    # load the rule base here once, so that a broken rule file stops the server with the loader's
    # one-line message (exit 2) instead of killing every solver process as it starts
    from ..rulebase import load_rulebase, local_files
    load_rulebase(rules, local_files(args.local))
    app = create_app(rules, args.local, workers=args.workers, timeout=args.timeout, max_body=args.max_body)
    where = f"http://{'[' + args.host + ']' if ':' in args.host else args.host}:{args.port}/"
    print(f"crossexec serve: 工作台 workbench {where} · API {where}openapi.json · {args.workers} solver workers "
          f"· limit {args.timeout:g} s, {args.max_body:,} bytes (Ctrl-C stops)", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0
