"""Typed scenario model: what `load` produces and `encode` consumes.

Every object keeps `path`, its key path in the YAML file (``cases[0].assets[1]``), so that a proof
can point back to where the scenario states a fact."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class Court:
    id: str
    name: str
    level: str                      # supreme | high | intermediate | basic
    parent: str | None              # court id
    kind: str | None = None         # maritime | financial | ip | railway | internet | military
    area: str | None = None
    path: str = ""


@dataclass
class Party:
    id: str
    kind: str                       # enterprise | individual | organization
    domicile: str | None = None     # court id
    insolvent: bool = False
    path: str = ""


@dataclass
class Asset:
    id: str
    location: str | None            # court id
    found: date
    disposed: bool = False
    main: bool = False
    measure_expires: date | None = None
    custody: bool = False           # 款物 in the court's custody (执行款、扣押物): art. 6's 移交款物
    path: str = ""


@dataclass
class Exclusion:
    start: date
    end: date
    reason: str
    path: str = ""


@dataclass
class Event:
    date: date
    type: str
    by: str | None = None           # court id, or applicant | debtor | third_party
    for_: str | None = None         # the act approved (approval events)
    against: str | None = None      # objection events: the court whose act is objected to
    path: str = ""


@dataclass
class Case:
    id: str
    court: str                      # court id
    filed: date | None              # None: an application not yet filed (art. 14)
    applied: date
    obligation: str
    debtor: str | None
    status: str = "open"
    number: str | None = None
    cause: str | None = None        # 案由 and 执行依据: only `crossexec draft` uses them
    judgment: str | None = None
    applicants: list[str] = field(default_factory=list)
    circumstances: list[str] = field(default_factory=list)
    assets: list[Asset] = field(default_factory=list)
    excluded_periods: list[Exclusion] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    path: str = ""


@dataclass
class Negotiation:
    between: list[str]              # court ids
    result: str
    date: date | None = None
    path: str = ""


@dataclass
class Dispute:
    id: str
    courts: list[str]
    kind: str
    cases: list[str] = field(default_factory=list)
    negotiations: list[Negotiation] = field(default_factory=list)
    path: str = ""


@dataclass
class Decision:
    kind: str
    by: str                         # court id
    date: date
    received: date | None = None
    case: str | None = None
    debtor: str | None = None
    to: str | None = None           # court id
    deadline: date | None = None    # 督促执行令's 指定期间 (art. 10)
    from_: str | None = None        # 原执行法院, when the case file no longer names it
    path: str = ""
    index: int | None = None        # its place in the file's decisions (kept in a part of a ledger)


@dataclass
class Scenario:
    file: str
    name: str
    as_of: date
    courts: dict[str, Court]
    parties: dict[str, Party] = field(default_factory=dict)
    cases: list[Case] = field(default_factory=list)
    disputes: list[Dispute] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    national: bool = False
    lines: dict[str, int] = field(default_factory=dict)   # key path -> line in the file
    expect: object = None                                 # raw `expect:` section (crossexec test)

    def court_name(self, court_id: str) -> str:
        court = self.courts.get(court_id)
        return court.name if court else court_id
