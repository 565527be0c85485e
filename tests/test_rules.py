"""Named rules (ocr_clean.rules): each decision a registered function with help and an example;
a config switches one off by name (a misspelt name is a one-line error naming the nearest);
``ocr-clean stages NAME`` lists them."""
from __future__ import annotations

import doctest

import pytest
from typer.testing import CliRunner

from ocr_clean import rules
from ocr_clean.cli import app
from ocr_clean.config import Config, ConfigError
from ocr_clean.pipeline import Pipeline
from ocr_clean.rules import RULES, rule, rules_of, unregister
from ocr_clean.stages import REGISTRY

runner = CliRunner()
LINE = "the most active, inspiring [ I ] , and leading [ ! ! ]  role at the Congress\n"


def test_the_registry_module_examples_hold():
    failed, tried = doctest.testmod(rules)
    assert tried and not failed


@pytest.mark.parametrize("key", sorted(RULES), ids=lambda k: f"{k[0]}:{k[1]}")
def test_every_registered_rule_has_help_an_example_that_holds_and_a_registered_stage(key):
    r = RULES[key]
    assert r.stage in REGISTRY and r.help and "\n" not in r.help
    finder = doctest.DocTestFinder(recurse=False)
    tests = finder.find(r.func, r.func.__name__, globs=vars(__import__(r.func.__module__, fromlist=["_"])))
    assert tests and tests[0].examples
    result = doctest.DocTestRunner().run(tests[0])
    assert result.attempted and not result.failed


def test_a_rule_needs_help_and_an_example_and_one_name_per_stage():
    with pytest.raises(TypeError, match="no help"):
        rule("x-test", stage="doc", help="")
    with pytest.raises(TypeError, match="no example"):
        @rule("x-test", stage="doc", help="an example")
        def no_example():
            """No example here."""
    with pytest.raises(TypeError, match="one word"):
        rule("x test", stage="doc", help="h")

    @rule("x-test", stage="doc", help="h", settings={"x_weight": (0.5, "a weight")})
    def first():
        """>>> 1
        1
        """
    try:
        with pytest.raises(TypeError, match="registered twice"):
            @rule("x-test", stage="doc", help="h")
            def second():
                """>>> 1
                1
                """
        assert [r.name for r in rules_of("doc")] == ["x-test"]
        assert first.rule.settings[0].default == 0.5
    finally:
        unregister("x-test", "doc")


def test_a_rule_switched_off_makes_no_edit_and_the_others_still_do():
    on = Pipeline(skip=["footnotes"]).run(LINE)
    assert "[!]" in on.text and any(e.rule == "bracket-bang" for e in on.edits)
    cfg = Config.from_dict({"stages": {"punctuation": {"disable": ["bracket-bang"]}}})
    off = Pipeline(cfg, skip=["footnotes"]).run(LINE)
    assert "[ I ]" in off.text and not any(e.rule == "bracket-bang" for e in off.edits)
    assert any(e.stage == "punctuation" for e in off.edits)     # the stage's other rules run


def test_a_misspelt_rule_name_is_a_one_line_error_naming_the_nearest(workdir):
    with pytest.raises(ConfigError, match=r"\[stages.punctuation\]: unknown rule 'bracket-bnag' in disable; "
                                          r"did you mean 'bracket-bang'\?"):
        Config.from_dict({"stages": {"punctuation": {"disable": ["bracket-bnag"]}}})
    with pytest.raises(ConfigError, match="disable must be a list"):
        Config.from_dict({"stages": {"punctuation": {"disable": "bracket-bang"}}})
    (workdir / "in.txt").write_text(LINE, encoding="utf-8")
    (workdir / "c.toml").write_text('[stages.punctuation]\ndisable = ["bracket-bnag"]\n', encoding="utf-8")
    res = runner.invoke(app, ["clean", "in.txt", "--config", "c.toml", "--out", "out", "--no-review"])
    assert res.exit_code == 2
    lines = [x for x in res.output.splitlines() if x.strip()]
    assert len(lines) == 1 and "did you mean 'bracket-bang'" in lines[0]
    (workdir / "c.toml").write_text('[stages.punctuation]\ndisable = ["bracket-bang"]\n', encoding="utf-8")
    res = runner.invoke(app, ["clean", "in.txt", "--config", "c.toml", "--out", "out", "--no-review"])
    assert res.exit_code == 0, res.output
    assert "[ I ]" in (workdir / "out" / "in.txt").read_text(encoding="utf-8")


def test_cli_stages_lists_the_rules_of_a_stage_with_their_help():
    res = runner.invoke(app, ["stages", "punctuation"])
    assert res.exit_code == 0, res.output
    for r in REGISTRY["punctuation"].rules():
        assert r.name in res.output
    assert "becomes '[!]'" in res.output and "disable" in res.output


def test_every_rule_name_a_converted_stage_writes_in_the_ledger_is_registered():
    from .conftest import raw_lines

    res = Pipeline().run(raw_lines(1, 1500))
    for stage in ("punctuation", "confusion"):
        names = {r.name for r in REGISTRY[stage].rules()}
        used = {e.rule for e in res.edits if e.stage == stage}
        assert used and used <= names, used - names
    assert {r.name for r in REGISTRY["punctuation"].rules()} == {
        "space-before-punct", "space-after-open", "double-space", "edge-space", "quote-space",
        "quote-glyph", "apostrophe-space", "apostrophe-case", "bracket-mismatch", "bracket-bang"}
    assert {r.name for r in REGISTRY["confusion"].rules()} == {"glyph", "lost-glyph", "case", "real-word", "too-long"}


def test_switching_off_a_confusion_rule_keeps_its_forms_and_not_the_others():
    from .conftest import raw_lines

    text = raw_lines(1, 1000)         # bourgeOisie (case) and faI\ufffd (lost-glyph) among others
    on = Pipeline().run(text)
    assert "bourgeOisie" not in on.text and "faI\ufffd" not in on.text
    off = Pipeline(Config.from_dict({"stages": {"confusion": {"disable": ["case"]}}})).run(text)
    assert "bourgeOisie" in off.text and "faI\ufffd" not in off.text
    assert not [e for e in off.edits if e.stage == "confusion" and e.rule == "case"]
