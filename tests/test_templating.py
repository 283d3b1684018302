"""Tests for ivbcompose.templating: the sandbox, its bounds, filters and error positions."""

from __future__ import annotations

import time
from datetime import date
from types import SimpleNamespace

import pytest

from ivbcompose.model import Basisteam, Member
from ivbcompose.provenance import Origin
from ivbcompose.sources import MapNode, ScalarNode, parse_yaml
from ivbcompose.templating import TemplateProblem, make_environment, render_text

CONTEXT_MUNICIPALITY = SimpleNamespace(name="Urk", inhabitants=21929)
BASISTEAM = Basisteam(name="Basisteam Oost", municipalities=[
    Member(id="a", name="Aadorp", inhabitants=1000),
    Member(id="b", name="Beekdorp", inhabitants=2500),
    Member(id="c", name="Cedorp", inhabitants=500),
    Member(id="d", name="Dedorp", inhabitants=96000),
])


def context() -> dict:
    from ivbcompose.templating import template_context
    return template_context(CONTEXT_MUNICIPALITY,
                            SimpleNamespace(kind="Lokaal Veiligheidsplan", adopted_on=None,
                                            date=date(2021, 3, 9)), BASISTEAM)


def render(text: str) -> str:
    return render_text(make_environment(), text, context(), Origin("x.yaml", 1, 1), text)


def failure(text: str) -> str:
    with pytest.raises(TemplateProblem) as caught:
        render(text)
    return caught.value.problem.message


def test_variables_and_dutch_filters() -> None:
    assert render("{{ gemeente }} telt {{ municipality.inhabitants | getal }} inwoners "
                  "({{ document.date | datum }})") == "Urk telt 21.929 inwoners (9 maart 2021)"


def test_a_value_to_format_is_never_refused_for_its_size() -> None:
    assert render("{{ 218096 | getal }} inwoners, {{ 1506000 | bedrag }}") == \
        "218.096 inwoners, € 1.506.000"
    assert "not allowed in a text" in failure("{{ 'x' | center(200000000) }}")


def test_basisteam_variables_count_and_list_the_members() -> None:
    assert render("{{ basisteam.name }}: {{ basisteam.names | opsomming }}") == \
        "Basisteam Oost: Aadorp, Beekdorp, Cedorp en Dedorp"
    assert render("alle {{ basisteam.municipalities | length | telwoord }} de gemeenten, "
                  "{{ basisteam.inhabitants | getal }} inwoners") == \
        "alle vier de gemeenten, 100.000 inwoners"
    assert render("{% for m in basisteam.municipalities %}{{ m.name }} {{ m.inhabitants }};"
                  "{% endfor %}") == "Aadorp 1000;Beekdorp 2500;Cedorp 500;Dedorp 96000;"


def test_a_misspelt_basisteam_field_suggests_the_right_one() -> None:
    with pytest.raises(TemplateProblem) as caught:
        render("{{ basisteam.naam }}")
    assert caught.value.problem.message == "undefined variable: 'basisteam' has no field 'naam'"
    assert caught.value.problem.hint == "did you mean 'name'?"


@pytest.mark.parametrize(("text", "expected"), [
    ("{{ 1/0 }}", "template error: division by zero"),
    ("{{ 3 | opsomming }}", "the filter 'opsomming' needs a list of texts"),
    ("{{ 'drie' | telwoord }}", "the filter 'telwoord' needs a whole number"),
    ("{{ document.adopted_on | datum }}", "the filter 'datum' needs a date, not None"),
    ("{{ 5 | datum }}", "the filter 'datum' needs a date, not 5"),
    ("{{ 'x' | getal }}", "the filter 'getal' needs a number"),
    ("{% for i in range(10**9) %}x{% endfor %}", "not allowed in a text"),
    ("{% for i in range(100000) %}x{% endfor %}", "may loop at most"),
    ("{% for i in range(5000) %}{% for j in range(5000) %}{% endfor %}{% endfor %}",
     "may loop at most"),
    ("{{ 'x' * 10000000 }}", "the repeated text is too long"),
    ("{{ 10 ** 100000 }}", "the power 100000 is too large"),
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "calls itself"),
    ("{% macro f(n) %}{% if n < 30 %}{{ f(n + 1) }}{{ f(n + 1) }}{% endif %}{% endmacro %}"
     "{{ f(0) }}", "too much work"),
    ("{% set s = 'x' * 99999 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}",
     "too much work"),
    ("{% for a in basisteam.municipalities %}" * 12 + "{% endfor %}" * 12, "too much work"),
    ("{{ lipsum(1000000) }}", "not allowed in a text"),
    ("{{ municipality.naam }}", "undefined variable: 'municipality' has no field 'naam'"),
])
def test_runaway_or_wrong_templates_are_problems_not_crashes(text: str, expected: str) -> None:
    started = time.monotonic()
    assert expected in failure(text)
    assert time.monotonic() - started < 5


def test_undefined_field_suggests_the_closest() -> None:
    with pytest.raises(TemplateProblem) as caught:
        render("{{ municipality.nam }}")
    assert caught.value.problem.hint == "did you mean 'name'?"


def position(yaml_text: str) -> str:
    node = parse_yaml(yaml_text, "x.yaml")
    assert isinstance(node, MapNode)
    scalar = node.values["text"]
    assert isinstance(scalar, ScalarNode)
    with pytest.raises(TemplateProblem) as caught:
        render_text(make_environment(), scalar.value, context(), scalar.origin, scalar.raw)
    return caught.value.problem.origin.location()


@pytest.mark.parametrize(("yaml_text", "expected"), [
    ("text: Doel van {{ zz }}\n", "x.yaml:1:16"),
    ("text: Doel van\n  dit {{ zz }} document\n", "x.yaml:2:7"),
    ("text: >-\n  Jeugd alcohol\n  en {{ x }} drugs\n", "x.yaml:3:6"),
    ("text: |\n  een\n  twee {{ x }}\n", "x.yaml:3:8"),
    ('text: "Jeugd \\" alcohol {{ x }}"\n', "x.yaml:1:25"),
    ("text: '{{ a }} en {{ x.y.z }}'\n", "x.yaml:1:8"),
])
def test_errors_point_at_the_expression_however_the_text_is_folded(yaml_text: str,
                                                                   expected: str) -> None:
    assert position(yaml_text) == expected


@pytest.mark.parametrize("text", [
    "{{ 'x' | center(200000000) }}",
    "{{ ('x' | center(50000)).replace(' ', 'ab ') }}",
    "{{ 'ab'.ljust(100000000) }}",
    "{{ '%0200000d' | format(1) }}",
    "{% for i in range(1000) %}{{ 'x' | center(99) }}{% endfor %}{{ 'y' | center(99999) }}",
    # Each construct that spends work or memory its own way (issue 12, class 2):
    "{% set s = 'xxxxxxxxxx' %}" + "{% set s = s ~ s %}" * 40 + "{{ s | length }}",
    "{% set d = {'s': 'x'} %}{% for i in range(60) %}{{ d.update({'s': d.s ~ d.s}) }}"
    "{% endfor %}",
    "{% set d = {'n': 3} %}{% for i in range(60) %}{{ d.update({'n': d.n * d.n}) }}"
    "{% endfor %}",
    "{{ '%999999999s' % 'x' }}",
    "{{ '%*s' % (999999999, 'x') }}",
    "{% set l = [1] %}{% for x in l %}{{ l.append(x) }}{% endfor %}",
    "{{ ('x' * 99999) | replace('x', 'y' * 99999) }}",
    "{{ ('x' * 99999) | list | join('y' * 99999) }}",
    "{% for i in range(9999) %}{{ 'x' * 99999 }}{% endfor %}",
    "{{ '{:>99999999999}'.format('x') }}",  # 100 GB: refused before it is made
    "{{ 7 ** 64 * 7 ** 64 * 7 ** 64 }}" + "{% set d = {'n': 7 ** 64} %}"
    "{% for i in range(40) %}{{ d.update({'n': d.n * d.n}) }}{% endfor %}",
])
def test_texts_cannot_grow_without_bound(text: str) -> None:
    started = time.monotonic()
    message = failure(text)
    assert "too large" in message or "too long" in message, message
    assert time.monotonic() - started < 5


def test_a_field_of_a_text_variable_names_the_variable() -> None:
    with pytest.raises(TemplateProblem) as caught:
        render("{{ gemeente.naam }}")
    problem = caught.value.problem
    assert problem.message == ("undefined variable: 'gemeente' is a text and has no field "
                               "'naam'")
    assert problem.hint is not None and "{{ gemeente }}" in problem.hint
