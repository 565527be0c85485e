"""The data files ship inside the package, and a missing one stops a run with one clear line."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ocr_clean.cli import app
from ocr_clean.lexicon import DataFileError, Lexicon, data_file, dictionaries_dir, read_table, read_word_list
from ocr_clean.pipeline import Pipeline
from ocr_clean.stages import REGISTRY

ROOT = Path(__file__).resolve().parent.parent
NEEDED = sorted({f for cls in REGISTRY.values() for f in cls.data_files})


def test_every_stage_data_file_is_in_the_package():
    assert dictionaries_dir() == ROOT / "ocr_clean" / "dictionaries"
    assert "confusions.tsv" in NEEDED and "footnote_glyphs.tsv" in NEEDED
    for name in NEEDED:
        assert data_file(name).parent == dictionaries_dir()
        assert read_table(data_file(name)) or read_word_list(data_file(name))


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # built from a copy of the sources: no build/ folder of an earlier build can lend it files
    src = tmp_path_factory.mktemp("src")
    shutil.copytree(ROOT / "ocr_clean", src / "ocr_clean", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "-q", "-w", str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    wheels = list(out.glob("ocr_clean-*.whl"))
    assert len(wheels) == 1
    return wheels[0]


def test_the_wheel_holds_the_data_files(wheel):
    from ocr_clean.languages import OWN_LISTS

    names = set(zipfile.ZipFile(wheel).namelist())
    for name in NEEDED + sorted(OWN_LISTS.values()) + ["unilex_LICENSE.txt"]:
        assert f"ocr_clean/dictionaries/{name}" in names


def test_the_installed_wheel_finds_its_data_away_from_the_checkout(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "OCR_CLEAN_DICTIONARIES"}
    env["PYTHONPATH"] = str(site)
    code = ("import ocr_clean, ocr_clean.lexicon as L; from ocr_clean import clean_text;"
            "print(ocr_clean.__file__); print(L.data_file('confusions.tsv'));"
            "print(len(L.read_table(L.data_file('punctuation.tsv'))));"
            "print(clean_text('The lnost decisive events.\\n', skip=['footnotes']).text, end='')")
    proc = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    module, confusions, n_punct, text = proc.stdout.split("\n", 3)
    assert module.startswith(str(site)) and confusions.startswith(str(site))
    assert int(n_punct) > 10
    assert text == "The most decisive events.\n"


def _copy_without(tmp_path: Path, missing: str) -> Path:
    d = tmp_path / "dicts"
    shutil.copytree(dictionaries_dir(), d)
    (d / missing).unlink()
    return d


def test_a_missing_data_file_stops_the_pipeline(tmp_path, monkeypatch):
    monkeypatch.setenv("OCR_CLEAN_DICTIONARIES", str(_copy_without(tmp_path, "page_structure.tsv")))
    with pytest.raises(DataFileError, match="page_structure.tsv"):
        Pipeline(lexicon=Lexicon({"the": 0.05}))


def test_read_table_of_a_missing_or_unreadable_file_is_an_error(tmp_path):
    with pytest.raises(DataFileError, match="not found"):
        read_table(tmp_path / "nothing.tsv")
    bad = tmp_path / "bad.tsv"
    bad.write_bytes(b"a\t\xff\xfe\n")
    with pytest.raises(DataFileError, match="not UTF-8"):
        read_word_list(bad)
    with pytest.raises(DataFileError, match="folder"):
        read_table(tmp_path)


def test_the_cli_says_which_data_file_is_missing_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("OCR_CLEAN_DICTIONARIES", str(_copy_without(tmp_path, "footnote_glyphs.tsv")))
    src = tmp_path / "book.txt"
    src.write_text("A line of text.\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["clean", str(src), "--out", str(tmp_path / "out"), "--no-review"])
    assert res.exit_code == 2
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "footnote_glyphs.tsv" in lines[0] and lines[0].startswith("error:")
    assert not (tmp_path / "out" / "book.txt").exists()
    # the stage switched off needs no data
    res = CliRunner().invoke(app, ["clean", str(src), "--out", str(tmp_path / "out"), "--no-review",
                                   "--skip", "footnotes"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "out" / "book.txt").read_text(encoding="utf-8") == "A line of text.\n"


def test_user_words_from_a_file_of_the_users_choosing(tmp_path, monkeypatch):
    words = tmp_path / "mine.txt"
    words.write_text("# my words\nZyxwvut\n", encoding="utf-8")
    monkeypatch.setenv("OCR_CLEAN_USER_WORDS", str(words))
    lex = Lexicon.load()
    assert lex.is_english("zyxwvut")
    monkeypatch.setenv("OCR_CLEAN_USER_WORDS", str(tmp_path / "gone.txt"))
    with pytest.raises(DataFileError, match="gone.txt"):
        Lexicon.load()
