"""Runs the trainer's tests and prints "N passed, N failed" (used by scripts/test-trainer.sh).

A file rather than inline code: the DDP test spawns processes, which re-import the main module by path.
"""

import sys
import time
import unittest
from pathlib import Path

if __name__ == "__main__":
    tests = Path(__file__).resolve().parent / "tests"
    started = time.time()
    suite = unittest.defaultTestLoader.discover(str(tests), top_level_dir=str(tests))
    result = unittest.TextTestRunner(verbosity=1, stream=sys.stdout).run(suite)
    bad = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    passed = result.testsRun - bad - len(result.skipped)
    print(f"trainer tests took {time.time() - started:.1f} s")
    line = f"{passed} passed, {bad} failed"
    if result.skipped:
        line += f", {len(result.skipped)} skipped"
    print(line)
    report = Path("test-results")
    if report.is_dir():
        # Read by scripts/summarize-tests.mjs for the test command's one summary line.
        (report / "trainer.json").write_text(f'{{"passed": {passed}, "failed": {bad}, "skipped": {len(result.skipped)}}}\n')
    sys.exit(1 if bad or result.testsRun == 0 else 0)
