"""The court tree a scenario uses: resolving references (id, exact name, unique shorter name) and
walking superiors. Which court may do what is decided in rules/core/courts.lp, not here."""
from __future__ import annotations

from .model import Court


class CourtIndex:
    def __init__(self, courts: dict[str, Court]):
        self.courts = courts
        self.by_name = {c.name: c.id for c in courts.values()}

    def resolve(self, ref: str) -> tuple[str | None, str | None]:
        """(court id, None) or (None, what is wrong) for a reference written by a user."""
        if ref in self.courts:
            return ref, None
        if ref in self.by_name:
            return self.by_name[ref], None
        candidates = sorted(name for name in self.by_name if ref in name)
        if len(candidates) == 1:
            return self.by_name[candidates[0]], None
        if candidates:
            shown = "、".join(candidates[:8]) + ("…" if len(candidates) > 8 else "")
            return None, f"ambiguous court {ref!r}: it matches {len(candidates)} courts ({shown}); write more of the name"
        return None, f"unknown court {ref!r}; expected a court id or name from `courts`"

    def chain(self, court_id: str) -> list[str]:
        """The court and all its superiors, nearest first."""
        out = []
        while court_id is not None:
            out.append(court_id)
            court_id = self.courts[court_id].parent
        return out
