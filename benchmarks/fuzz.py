"""The input fuzzer's properties (tests/unit/plugins/module_utils/test_inputs.py),
run far longer than the test command runs them, with a fresh random seed.
Not a test: it prints one table (examples tried per property, seconds, verdict).

    .venv/bin/python benchmarks/fuzz.py [EXAMPLES]     # default 5000 per property
"""

from __future__ import annotations

import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.join(ROOT, "tests")]
import conftest  # noqa: E402,F401  pylint: disable=wrong-import-position,unused-import

EXAMPLES = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
os.environ.update(FUZZ_PROFILE="long", FUZZ_EXAMPLES=str(EXAMPLES))  # read when the properties are imported
from tests.unit.plugins.module_utils import test_inputs  # noqa: E402


def main():
    examples = EXAMPLES
    properties = [getattr(test_inputs, name) for name in sorted(dir(test_inputs))
                  if name.startswith("test_") and hasattr(getattr(test_inputs, name), "hypothesis")]
    failed = 0
    print("| property | examples | seconds | verdict |")
    print("|---|---|---|---|")
    for prop in properties:
        started = time.monotonic()
        try:
            prop()
            verdict = "holds"
        except Exception as exc:  # pylint: disable=broad-except
            verdict, failed = "FAILS: %s" % str(exc).splitlines()[0][:200], failed + 1
        print("| %s | %d | %.1f | %s |" % (prop.__name__[5:], examples, time.monotonic() - started, verdict))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
