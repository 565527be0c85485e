"""What the words stage keeps so as not to work a thing out twice (a pass's verdicts on a
form's candidates, a run's word probabilities, splits and recosted lists, the process's log
frequencies) holds exactly what working it out again gives, and texts cleaned one after the
other by one pipeline come out as each would alone, in any order.  Texts written for the
test: a noisy newspaper paragraph whose OCR reads h as b (enough sure fixes for the second
pass to learn the family), and two with other habits."""
from __future__ import annotations

import math

import pytest

from ocr_clean import Pipeline
from ocr_clean.stages.words.run import _Run

NOISY = ("Tbe Committee met on Tuesday, and tbe members agreed tbat tbe new bridge sbould be built "
         "before tbe winter. Mr Harwood, wbo bad spoken against it, said tbat tbe cost was too bigh "
         "and tbat tbe river was in flood. Tbe Cbairman replied tbat tbe work could wait no longer, "
         "for tbe old bridge was unsafe and tbe farmers bad no otber way to market. Tbe motion was "
         "carried by nine votes to two, and tbe clerk was told to write to tbe engineer at once.\n")
LONG_S = ("The Houfe of Commons met on Thurfday, when the Speaker read a Letter from the Lords, "
          "defiring a Conference upon the Subject of the laft Seffion; and the Members were "
          "fummoned to attend the fame at four of the Clock.\n")
NAMES = ("Mr Okonkwo and Mrs Szymanska of Tarragona walked from Llanfair to Quimper in June, "
         "where the Abbé Roussillon showed them his garden of rare tulips and one oxalis.\n")


def _words_stage(pipe: Pipeline):
    return next(s for s in pipe.stages if s.name == "words")


def _run_through(stage, text: str) -> _Run:
    """The stage's passes over ``text`` (as ``Words.propose`` makes them), the run kept."""
    run = _Run(stage, text, None)
    first = run.decide_all(stage.model)
    learned = run.learn(first)
    if learned:
        run.learned = learned
        run.decide_all(stage.model, first)
    for site in run._joins:
        run.decide_join(*site)
    return run


@pytest.fixture(scope="module")
def noisy_run():
    stage = _words_stage(Pipeline())
    run = _run_through(stage, NOISY)
    return stage, run


def test_the_noisy_text_takes_a_second_pass(noisy_run):
    _, run = noisy_run
    assert "b/h" in run.learned                       # (so the memos below hold a second pass's lists)
    assert run._pass_memo and run._recosts and run._p_words


def test_a_pass_verdicts_are_what_working_them_out_again_gives(noisy_run):
    stage, run = noisy_run
    kinds = set()
    for key, (cands, got) in run._pass_memo.items():
        kind = key[0]
        kinds.add(kind)
        if kind == "word_p":
            _, low, name, _ = key
            tok = low[:1].upper() + low[1:] if name else low
            assert got == run._word_p(low, tok, False, cands), key
        elif kind == "named":
            assert got == run._as_name(key[1], cands), key
        elif kind == "shortlist":
            n = run.cfg["shortlist"]
            want = sorted(cands, key=lambda c: c.cost - math.log10(max(run.freq(c.word.split(" ")[0]), 1e-12)))[:n]
            assert got == want
        else:
            raise AssertionError(f"a verdict of an unknown kind: {key!r}")
    assert {"word_p", "shortlist"} <= kinds


def test_a_run_keeps_word_probabilities_splits_and_recosted_lists_as_they_are(noisy_run):
    stage, run = noisy_run
    for w, p in run._p_words.items():
        n = run.vocab.count(w) if run.vocab is not None else 0
        assert p == run.adapt(max(stage.lexicon.freq(w), 1e-9), n), w
    for key, (learned, got) in run._recosts.items():
        assert learned is run.learned and got == run.recost(run._own_cands[key]), key
    for (low, common_only), got in run._splits.items():
        least = run.cfg["common_pair"] if common_only else 1
        want = [(a + " " + b) for i in range(1, len(low)) for a, b in [(low[:i], low[i:])]
                if a in run.cands and b in run.cands and run.lm.pair_count(a, b) >= least]
        assert [c.word for c in got] == want, low
    for word, logf in stage._log_freqs.items():
        assert logf == math.log10(max(stage.lexicon.freq(word.split(" ")[0]), 1e-12)), word


def test_texts_come_out_the_same_in_any_order_through_one_pipeline():
    """The candidate lists, log frequencies and token cores a pipeline keeps from one text to
    the next change nothing: each text's output and ledger are the same, cleaned first or last."""
    texts = [NOISY, LONG_S, NAMES]

    def outputs(order):
        pipe = Pipeline()
        got = {}
        for k in order:
            res = pipe.run(texts[k])
            got[k] = (res.text, [(e.stage, e.before, e.after, e.rule, e.confidence, e.status, e.note,
                                  tuple(e.candidates), repr(e.evidence)) for e in res.edits])
        return got

    forward, backward = outputs([0, 1, 2]), outputs([2, 1, 0])
    assert forward == backward
    assert any(e[0] == "words" for e in forward[0][1])   # (the noisy text is corrected: the test sees edits)


def test_another_list_of_the_same_form_is_weighed_for_itself(noisy_run):
    """A verdict is kept for its very list: asked with another list of the same form (a copy,
    fewer readings), the stage works the verdict out for that list."""
    stage, run = noisy_run
    asked = 0
    for key, (cands, _) in list(run._pass_memo.items()):
        if key[0] != "word_p" or len(cands) < 2:
            continue
        _, low, name, _ = key
        tok = low[:1].upper() + low[1:] if name else low
        for other in (list(cands), cands[1:], cands[:1]):
            assert run.word_p(low, tok, False, other) == run._word_p(low, tok, False, other), (low, other)
            asked += 1
        n, fewer = run.cfg["shortlist"], cands[:-1]
        want = fewer if len(fewer) <= n else sorted(fewer, key=lambda c: c.cost - stage.log_freq(c.word))[:n]
        assert run.shortlist(fewer) == want
    assert asked


@pytest.mark.parametrize("learned", [False, True])
def test_the_commonest_readings_of_a_short_word_are_those_of_its_whole_list(noisy_run, learned):
    """The readings of a short word among English's commonest words, kept by the stage and
    paid the text's shift (and learned costs) one by one, are what filtering the word's whole
    candidate list at the text's costs gives."""
    stage, run = noisy_run
    if not learned:
        run = _Run(stage, NOISY, None)
    from ocr_clean.stages.words.run import _added
    least = run.cfg["common_reach_freq"]
    for low in ("ho", "lu", "nil", "boon", "tbe", "bave", "sbe", "wbo", "bis"):
        cands = run.candidates(low, stage.model, cheap=True)
        whole = [c for c in run.candidates(low, stage.model, cheap=False, generic=False)
                 if stage.lexicon.freq(c.word) >= least]
        for have in (cands, []):
            assert run._common_readings(low, stage.model, have) == _added(have, whole), low
    assert bool(run.learned) == learned
