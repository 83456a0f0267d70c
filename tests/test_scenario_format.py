"""The scenario format in the repository (issue 12, part 6): docs/scenario-format.md and the JSON
Schema are generated from the loader's own model and are current; the schema accepts every
scenario the repository ships and refuses what the loader refuses; `crossexec init` writes a
scenario that `crossexec ask` answers; nothing refers to files outside the repository."""
import copy
import json
import subprocess

import pytest
import yaml

from crossexec import ROOT, scenario_format as fmt
from crossexec.cli import main
from crossexec.errors import InputError
from crossexec.load import load_scenario

jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is a test dependency (pip install -e '.[test]')")


class _NoDates(yaml.SafeLoader):
    """YAML as an editor's language server reads it: a bare 2024-09-30 is a string."""


_NoDates.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def _validator():
    schema = json.loads(fmt.SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def test_committed_files_are_what_the_model_generates():
    for path, text in fmt.outputs().items():
        assert path.read_text(encoding="utf-8") == text, f"{path.name} is stale: run python -m crossexec.scenario_format"


def test_every_shipped_scenario_satisfies_the_schema():
    validator = _validator()
    files = sorted((ROOT / "tests" / "scenarios").rglob("*.yaml")) + sorted((ROOT / "facts" / "examples").glob("*.yaml"))
    assert len(files) > 50
    for path in files:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_NoDates)
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]
        assert errors == [], f"{path.relative_to(ROOT)}: {errors[:3]}"


# A small scenario with one of every section; each test below breaks one key of it.
BASE = {
    "name": "format test", "as_of": "2024-09-30",
    "courts": [{"id": "spc", "name": "最高人民法院", "level": "supreme"},
               {"id": "js", "name": "江苏省高级人民法院", "level": "high", "parent": "spc"},
               {"id": "a", "name": "甲县人民法院", "level": "basic", "parent": "js"},
               {"id": "b", "name": "乙县人民法院", "level": "basic", "parent": "js"}],
    "parties": [{"id": "p", "kind": "enterprise"}],
    "cases": [{"id": "c1", "court": "a", "filed": "2024-01-02", "obligation": "money", "debtor": "p",
               "circumstances": ["passive"], "assets": [{"id": "x", "found": "2024-01-02"}],
               "excluded_periods": [{"from": "2024-02-01", "to": "2024-02-02", "reason": "appraisal"}],
               "events": [{"date": "2024-03-01", "type": "approval", "for": "terminate", "by": "b"}]}],
    "disputes": [{"id": "d", "courts": ["a", "b"], "kind": "other",
                  "negotiations": [{"between": ["a", "b"], "result": "failed"}]}],
    "decisions": [{"kind": "urge", "by": "js", "case": "c1", "date": "2024-04-01"}],
}
WHERE = {"scenario": lambda d: d, "court": lambda d: d["courts"][2], "party": lambda d: d["parties"][0],
         "case": lambda d: d["cases"][0], "asset": lambda d: d["cases"][0]["assets"][0],
         "excluded_period": lambda d: d["cases"][0]["excluded_periods"][0],
         "event": lambda d: d["cases"][0]["events"][0], "dispute": lambda d: d["disputes"][0],
         "negotiation": lambda d: d["disputes"][0]["negotiations"][0], "decision": lambda d: d["decisions"][0]}


def _load(tmp_path, data):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_scenario(path)


def test_the_base_scenario_loads_and_satisfies_the_schema(tmp_path):
    _load(tmp_path, BASE)
    assert list(_validator().iter_errors(BASE)) == []
    assert set(WHERE) == set(fmt.SECTIONS)


ENUM_KEYS = [(section, k) for section, (_, _, entries) in fmt.SECTIONS.items() for k in entries
             if "enum:" in k.type]


@pytest.mark.parametrize("section,key", ENUM_KEYS, ids=[f"{s}.{k.name}" for s, k in ENUM_KEYS])
def test_the_loader_and_the_schema_check_the_same_vocabulary(tmp_path, section, key):
    """A value outside the documented vocabulary is refused by both, and the loader's message
    lists the documented values: the enum the model names is the one the loader uses."""
    data = copy.deepcopy(BASE)
    WHERE[section](data)[key.name] = ["zzz"] if key.type.startswith("list:") else "zzz"
    with pytest.raises(InputError) as bad:
        _load(tmp_path, data)
    documented = list(fmt.values(key.type.split("enum:")[1]))
    assert all(v in str(bad.value) for v in documented[:6]), str(bad.value)
    assert list(_validator().iter_errors(data))


REQUIRED = [(section, k.name) for section, (_, _, entries) in fmt.SECTIONS.items() for k in entries if k.required]


@pytest.mark.parametrize("section,key", REQUIRED, ids=[f"{s}.{k}" for s, k in REQUIRED])
def test_required_keys_are_required_by_both(tmp_path, section, key):
    data = copy.deepcopy(BASE)
    del WHERE[section](data)[key]
    with pytest.raises(InputError):
        _load(tmp_path, data)
    assert list(_validator().iter_errors(data))


@pytest.mark.parametrize("section", list(fmt.SECTIONS))
def test_unknown_keys_are_refused_by_both(tmp_path, section):
    data = copy.deepcopy(BASE)
    WHERE[section](data)["colour"] = "blue"
    with pytest.raises(InputError) as bad:
        _load(tmp_path, data)
    assert "unknown key 'colour'" in str(bad.value)
    assert all(k in str(bad.value) for k in fmt.keys(section)[0])
    assert list(_validator().iter_errors(data))


def test_doc_lists_every_key_and_every_vocabulary_entry():
    doc = fmt.DOC.read_text(encoding="utf-8")
    for section, (_, _, entries) in fmt.SECTIONS.items():
        assert f"## {section}" in doc
        assert all(f"| `{k.name}` |" in doc for k in entries)
    for enum in fmt.VOCABULARIES:
        for key, names in fmt.values(enum).items():
            assert f"| `{key}` | {names['zh']} | {names['en']} |" in doc


def test_init_writes_a_scenario_that_ask_answers(tmp_path, capsys):
    target = tmp_path / "my-case.yaml"
    assert main(["init", str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    schema = first.split("$schema=", 1)[1]
    assert (target.parent / schema).resolve() == fmt.SCHEMA.resolve()
    assert list(_validator().iter_errors(yaml.load(text, Loader=_NoDates))) == []
    capsys.readouterr()
    assert main(["ask", str(target), "--format", "json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["conclusions"] and answer["as_of"] == "2024-09-30"
    assert main(["init", str(target)]) == 2                  # never overwrites silently
    assert "--force" in capsys.readouterr().err
    assert main(["init", str(target), "--force"]) == 0


def test_init_inside_the_repository_points_to_the_schema_relatively(capsys):
    assert main(["init"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")


def test_nothing_refers_to_files_outside_the_repository():
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    found = []
    for name in files:
        path = ROOT / name
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for needle in ("DESIGN.md", "../shared", "/work/shared"):
            if needle in text and name != "tests/test_scenario_format.py":
                found.append(f"{name}: {needle}")
    assert found == []


def test_readme_points_to_the_format_and_the_schema():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/scenario-format.md" in readme and "docs/scenario.schema.json" in readme
    assert "# yaml-language-server: $schema=" in readme and "crossexec init" in readme
