"""The published vocabulary (facts/vocab.yaml): action ids, circumstances, event types, … with
their Chinese and English names. Python uses it to validate input and to render answers; the
rules use the same ids."""
from __future__ import annotations

import yaml

from . import FACTS

# read at every start of the command: the C loader where libyaml is present (10× faster)
_DATA = yaml.load((FACTS / "vocab.yaml").read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))

MODALITIES: dict = _DATA["modalities"]
ACTIONS: dict = _DATA["actions"]
ACTORS: dict = _DATA["actors"]
CIRCUMSTANCES: dict = _DATA["circumstances"]
EVENT_TYPES: dict = _DATA["event_types"]
EXCLUSION_REASONS: dict = _DATA["exclusion_reasons"]
DECISION_KINDS: dict = _DATA["decision_kinds"]
VOID_REASONS: dict = _DATA["void_reasons"]
FACTORS: dict = _DATA["factors"]
LEVELS: dict = _DATA["levels"]
COURT_KINDS: tuple = tuple(_DATA["court_kinds"])
PARTY_KINDS: tuple = tuple(_DATA["party_kinds"])
OBLIGATIONS: tuple = tuple(_DATA["obligations"])
CASE_STATUSES: tuple = tuple(_DATA["case_statuses"])
DISPUTE_KINDS: tuple = tuple(_DATA["dispute_kinds"])
NEGOTIATION_RESULTS: tuple = tuple(_DATA["negotiation_results"])
OBJECTORS: tuple = tuple(_DATA["objectors"])

# strongest first (docs/answer-format.md: must > should > may; must_not > should_not)
POSITIVE = ("must", "should", "may")
NEGATIVE = ("must_not", "should_not")


def table(section: str) -> dict:
    """One vocabulary of facts/vocab.yaml as {id: {zh, en}} (the scenario format documents these)."""
    return dict(_DATA[section])


def name(table: dict, key: str, lang: str = "zh") -> str:
    entry = table.get(key)
    return entry[lang] if entry else key
