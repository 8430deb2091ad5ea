"""个人补贴, the person page of the 补贴资格 tab as one read: in the chosen month, each programme's decision
with the plain-Chinese explanation, every application with its steps (and what the clerk may do next),
and the relief the person received in that year. The page shows this view and reads nothing else."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.domain.money import yuan_text
from app.domain.months import Month
from app.services.actions import query
from app.services.subsidies import applications, relief_ledger
from app.services.subsidies.applications import ApplicationView


@dataclass(frozen=True)
class PersonPage:
    person_id: int
    month: Month
    explanation: str  # 一级肢体残疾，符合护理补贴；不是低保户，不符合生活补贴
    decisions: str  # 重度残疾人护理补贴：符合，每月100.00元　…
    applications: tuple[ApplicationView, ...]  # newest first
    relief_fen: dict[str, int]  # per kind, received in month's year (cancelled entries not counted)

    @property
    def relief(self) -> str:
        """2026年所得救助：临时救助800.00元；… or 无."""
        parts = "；".join(f"{kind}{yuan_text(fen)}元" for kind, fen in self.relief_fen.items())
        return f"{self.month.year}年所得救助：" + (parts or "无")

    def application(self, application_id: int | None) -> ApplicationView | None:
        return next((a for a in self.applications if a.id == application_id), None)


@query
def person_page(session: Session, person_id: int, month: Month) -> PersonPage:
    """Everything the person page shows for one person in one month."""
    found = applications.person_subsidies.in_session(session, person_id, month)
    return PersonPage(person_id, month, found.explanation, found.decisions_text,
                      tuple(applications.applications_of.in_session(session, person_id)),
                      relief_ledger.person_totals(session, person_id, month.year))
