"""A plain-text clean imports only what it uses: the formats' readers and writers (lxml), the
alignment (rapidfuzz), the process pools and the review store (sqlite3) are imported when a
caller first asks for them, and then they are the same objects as before."""
from __future__ import annotations

import subprocess
import sys

HEAVY = ("lxml", "rapidfuzz", "multiprocessing", "concurrent.futures", "sqlite3")


def _run(code: str) -> str:
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return proc.stdout.strip()


def test_the_plain_text_path_imports_nothing_heavy():
    out = _run(
        "import sys\n"
        "from ocr_clean import Pipeline, clean_text\n"
        "from ocr_clean.batch import clean_file, write_outputs\n"
        "from ocr_clean.formats import Options, detect\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n")
    assert out == "[]"


def test_the_command_line_imports_no_reader_nor_process_pool_for_a_text():
    # the CLI and the batch run of plain-text books (in this process, jobs=1); sqlite3 is
    # the review store's, which a clean uses by default
    out = _run(
        "import sys\n"
        "import ocr_clean.cli\n"
        "from ocr_clean.batch import clean_paths\n"
        f"print(sorted(m for m in {HEAVY[:4]!r} if m in sys.modules))\n")
    assert out == "[]"


def test_the_lazy_names_are_the_functions_they_were():
    out = _run(
        "import inspect\n"
        "import ocr_clean.batch as batch, ocr_clean.formats as formats\n"
        "from ocr_clean.batch import clean_paths, record_decisions, DecisionMap, is_current\n"
        "from ocr_clean.formats import clean_bytes, clean_book, Cleaned, project\n"
        "from ocr_clean.batch.run import clean_paths as run_clean_paths\n"
        "from ocr_clean.formats.run import clean_bytes as run_clean_bytes, Options as RunOptions\n"
        "from ocr_clean.formats.project import project as the_project\n"
        "print(clean_paths is run_clean_paths, clean_bytes is run_clean_bytes,\n"
        "      formats.project is the_project and inspect.isfunction(project),\n"
        "      RunOptions is formats.Options, inspect.isclass(DecisionMap))\n"
        "try:\n"
        "    batch.no_such_name\n"
        "except AttributeError as exc:\n"
        "    print(exc)\n")
    assert out.splitlines() == ["True True True True True",
                                "module 'ocr_clean.batch' has no attribute 'no_such_name'"]
