"""solve reads each shown atom once, as clingo's text, and cuts its arguments out of that text
(crossexec/solve.py, "reading the shown atoms"). These tests pin that the cut is exact for any
string clingo can hold — commas, parentheses, quotes, backslashes, newlines in ids — by comparing
it with clingo's own symbols."""
from __future__ import annotations

import clingo
from hypothesis import given, settings
from hypothesis import strategies as st

from crossexec.solve import _act_terms, _by_record, _term

# any text a C string holds (no NUL, no lone surrogate), with the characters that matter to the cut frequent
TEXT = st.text(alphabet=st.sampled_from(list(',()"\\\n\t ab_1-某司'))
               | st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)
ACTOR = TEXT.map(clingo.String) | st.sampled_from([clingo.Function("applicant"), clingo.Function("debtor")])
TARGET = TEXT.map(clingo.String) | st.just(clingo.Function("none")) | st.integers(-5, 5).map(clingo.Number)
OBJECT = (st.tuples(st.sampled_from(["case", "debtor", "dispute", "area"]), TEXT)
          .map(lambda kv: clingo.Function(kv[0], [clingo.String(kv[1])]))
          | st.lists(TEXT.map(clingo.String), max_size=3).map(lambda xs: clingo.Function("", xs))
          | st.tuples(TEXT, TEXT).map(lambda xy: clingo.Function("f", [clingo.String(xy[0]),
                                                                        clingo.Function("", [clingo.String(xy[1])])])))


@settings(max_examples=400, deadline=None)
@given(ACTOR, OBJECT, TARGET)
def test_act_terms_cut_the_text_where_clingo_has_the_arguments(actor, obj, target):
    atom = clingo.Function("holds", [clingo.Function("must"), actor, clingo.Function("transfer_files"), obj, target])
    text = str(atom)
    modality, _, body = text[len("holds("):-1].partition(",")
    assert modality == "must"
    assert _act_terms(body) == (str(actor), "transfer_files", str(obj), str(target))
    assert (_term(str(actor)), _term(str(obj)), _term(str(target))) == (actor, obj, target)


@settings(max_examples=200, deadline=None)
@given(TEXT, ACTOR, OBJECT, TARGET)
def test_by_record_reads_the_label_and_the_head_text(label, actor, obj, target):
    head = clingo.Function("may", [actor, clingo.Function("instruct"), obj, target])
    assert _by_record(str(clingo.Function("_by", [clingo.String(label), head]))) == (label, str(head))


def test_a_term_of_another_shape_falls_back_to_clingos_parser():
    """An actor that is neither a string nor a constant (the regular cut refuses it)."""
    actor, obj, target = clingo.Function("court", [clingo.String("a,b")]), clingo.Function("case", [clingo.String("c")]), \
        clingo.Function("none")
    body = ",".join(str(x) for x in (actor, clingo.Function("instruct"), obj, target))
    assert _act_terms(body) == (str(actor), "instruct", str(obj), str(target))


@settings(max_examples=300, deadline=None)
@given(st.lists(ACTOR | OBJECT | TARGET, max_size=30))
def test_texts_of_symbols_are_their_str(symbols):
    """solve.texts_of reads a symbol's text through clingo's internal binding, with one buffer:
    the same text as `str`, long texts (a buffer grown) included."""
    from crossexec import solve
    assert solve._FAST_TEXT is not None                  # the fast path is the one tested
    symbols += [clingo.String("长" * 300), clingo.Function("f", [clingo.String('"\\' * 200)])]
    assert solve.texts_of(symbols) == [str(s) for s in symbols]


def test_texts_of_without_the_internal_binding_is_str(monkeypatch):
    from crossexec import solve
    monkeypatch.setattr(solve, "_FAST_TEXT", None)
    symbols = [clingo.String('a"b'), clingo.Function("must", [clingo.Number(1)])]
    assert solve.texts_of(symbols) == ['"a\\"b"', "must(1)"]
