"""Checked settings: every stage declares its settings with a line each; a misspelt key or a
wrong type in a config is a one-line error naming the key and the nearest valid one."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ocr_clean.cli import app
from ocr_clean.config import Config, ConfigError
from ocr_clean.stages import REGISTRY

runner = CliRunner()

# (config, words the one-line error must hold): cases as data
BAD = [
    ({"skipp": ["footnotes"]}, ["'skipp'", "did you mean 'skip'"]),
    ({"reveiw_below": 0.5}, ["'reveiw_below'", "did you mean 'review_below'"]),
    ({"stages": {"confusio": {}}}, ["'confusio'", "did you mean 'confusion'"]),
    ({"stages": {"confusion": {"apply_treshold": 0.99}}},
     ["[stages.confusion]", "'apply_treshold'", "did you mean 'apply_threshold'"]),
    ({"stages": {"dehyphenate": {"book_ration": 2}}}, ["'book_ration'", "did you mean 'book_ratio'"]),
    ({"stages": {"confusion": {"apply_threshold": "0.99"}}}, ["apply_threshold must be a number", "str"]),
    ({"stages": {"confusion": {"realword": 1}}}, ["realword must be true or false"]),
    ({"stages": {"split_words": {"max_group": 4.5}}}, ["max_group must be a whole number"]),
    ({"stages": {"page_structure": {"queue_below": True}}}, ["queue_below must be a number", "bool"]),
    ({"stages": {"footnotes": 3}}, ["[stages.footnotes] must be a table"]),
    ({"skip": "footnotes"}, ["skip must be a list"]),
    ({"skip": ["fotnotes"]}, ["'fotnotes'", "did you mean 'footnotes'"]),
    ({"order": ["page_structure", "dehyphenat"]}, ["'dehyphenat'", "did you mean 'dehyphenate'"]),
    ({"guess": "yes"}, ["guess must be true or false"]),
    ({"zzz": 1}, ["'zzz'", "valid: order, skip"]),
]


@pytest.mark.parametrize("data,words", BAD, ids=[str(d) for d, _ in BAD])
def test_a_bad_config_is_a_one_line_error_naming_the_key(data, words):
    with pytest.raises(ConfigError) as exc:
        Config.from_dict(data)
    msg = str(exc.value)
    assert "\n" not in msg
    for w in words:
        assert w in msg


def test_good_configs_load_with_their_types():
    cfg = Config.from_dict({"skip": ["footnotes"], "review_below": 1, "guess": True,
                            "stages": {"confusion": {"apply_threshold": 1, "learned_pairs": [["lnost", "most"]]}},
                            "scan": {"line_end": "ordinary", "hyphens": ["-", "¬"]}})
    assert cfg.skip == {"footnotes"} and cfg.review_below == 1.0 and cfg.guess is True
    # the [scan] table belongs to the scan profile: checked there (tests/test_profile.py)
    assert cfg.scan == {"line_end": "ordinary", "hyphens": ("-", "¬")}
    # skipping keeps every other field
    assert cfg.with_skip(["confusion"]).scan == cfg.scan
    stage = REGISTRY["confusion"](cfg.stages["confusion"])
    assert stage.config["apply_threshold"] == 1.0 and type(stage.config["apply_threshold"]) is float
    assert stage.config["learned_pairs"] == (["lnost", "most"],)
    assert stage.config["queue_threshold"] == REGISTRY["confusion"].defaults["queue_threshold"]


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_setting_is_declared_with_a_description_and_its_default_passes(name):
    cls = REGISTRY[name]
    rows = cls.settings()
    # the stage's own settings, then those of its named rules, then the rules switched off
    own = [s.name for s in rows][:len(cls.defaults)]
    assert own == list(cls.defaults)
    assert [s.name for s in rows][len(cls.defaults):] == [s.name for r in cls.rules() for s in r.settings] + ["disable"]
    for s in rows:
        assert s.description.strip() and "\n" not in s.description
    # the defaults written out as a config are a valid config
    cfg = Config.from_dict({"stages": {name: dict(cls.defaults)}})
    assert cls(cfg.stages[name]).config == cls.check_settings(None)


def test_the_stage_constructor_checks_its_table_too():
    with pytest.raises(ConfigError, match=r"unknown setting 'min_bok'; did you mean 'min_book'"):
        REGISTRY["punctuation"]({"min_bok": 3})


def test_cli_clean_with_a_misspelt_config_fails_in_one_line(workdir, excerpt):
    (workdir / "in.txt").write_text(excerpt, encoding="utf-8")
    (workdir / "c.toml").write_text('[stages.confusion]\napply_treshold = 0.99\n', encoding="utf-8")
    res = runner.invoke(app, ["clean", "in.txt", "--config", "c.toml", "--out", "out", "--no-review"])
    assert res.exit_code == 2
    lines = [x for x in res.output.splitlines() if x.strip()]
    assert len(lines) == 1
    assert "c.toml: [stages.confusion]: unknown setting 'apply_treshold'; did you mean 'apply_threshold'?" in lines[0]
    assert not (workdir / "out").exists()


def test_cli_stages_lists_a_stage_settings_with_their_descriptions():
    res = runner.invoke(app, ["stages", "dehyphenate"])
    assert res.exit_code == 0, res.output
    for s in REGISTRY["dehyphenate"].settings():
        assert s.name in res.output
    assert "...or this many uses in the book" in res.output
    res = runner.invoke(app, ["stages", "dehyphen"])
    assert res.exit_code == 2 and "did you mean 'dehyphenate'" in res.output
