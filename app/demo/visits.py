"""The demo's festival visits: a 春节 campaign for each of the five years (named like 2026年春节慰问, CLI.md),
its list proposed by the program's own rules on the register as it stood that winter, the budget
covering 20-29 households (the seed town: "每年慰问困难残疾家庭20余户"), and every visit recorded as done
(now and then a household not found at home). In the weeks before this year's 春节 (the demo made in
January) that year's list is drawn up but nobody is visited yet, as in the office at that time.

Lines go in by executemany like the register: at county scale a proposal has tens of thousands of lines.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.db.models import VisitCampaign, VisitLine
from app.demo.context import DemoTown
from app.demo.rows import indexes_after, insert_rows
from app.domain.festivals import SPRING_FESTIVAL, campaign_name
from app.domain.words import LineOutcome
from app.services.visits.campaigns import festival_day
from app.services.visits.criteria import DEFAULT_CRITERIA, OVER_BUDGET, fit_budget, propose

SEED_TOWN = 345
LEADER = "王志强"
VISITORS = ("王志强、村干部", "李红梅、村干部", "王志强、李红梅")
NOT_FOUND_SHARE = 0.02  # away working, in hospital


def _standard_fen(year: int, town: DemoTown) -> int:
    """300 yuan a household, 200 in the first two years of the five."""
    return 20000 if year < town.year - 2 else 30000


def visits_step(town: DemoTown) -> None:
    # the lines' plain indexes made once over the five campaigns' lines (a county's are 200,000) instead of
    # kept up line by line; the proposals do not read the lines (DEFAULT_CRITERIA skips no recent visits)
    assert not DEFAULT_CRITERIA.skip_recent
    with indexes_after(town.session, VisitLine.__table__):
        _campaigns(town)


def _campaigns(town: DemoTown) -> None:
    rng = town.rng
    scale = max(1.0, len(town.on_register()) / SEED_TOWN)
    done: list[int] = []
    planned = ""
    for year in range(town.year - 4, town.year + 1):
        day = festival_day(SPRING_FESTIVAL, year)
        coming = day > town.end  # drawn up, not yet visited
        standard = _standard_fen(year, town)
        households = round(rng.randint(21, 25) * scale)  # the neediest recur: 20余 households over five years too
        campaign = VisitCampaign(
            name=campaign_name(SPRING_FESTIVAL, year), festival=SPRING_FESTIVAL, date=day,
            budget_fen=households * standard, standard_fen=standard, goods="", leader=LEADER,
            criteria=DEFAULT_CRITERIA.to_json(), note="春节前走访慰问困难残疾人家庭和生活不能自理的残疾人。",
            created_at=dt.datetime.combine(min(day - dt.timedelta(days=30), town.end), dt.time(9, 0)),
        )
        town.session.add(campaign)
        town.session.flush()
        drawn = min(day - dt.timedelta(days=30), town.end)
        proposals = propose(town.session, DEFAULT_CRITERIA, on=drawn, campaign_id=campaign.id, campaign_date=day)
        fits = fit_budget((standard for _ in proposals), campaign.budget_fen)
        rows: list[dict[str, Any]] = []
        visited = 0
        campaign_id, created_at = campaign.id, campaign.created_at  # read once, not per line (mapped attributes)
        # what every line of the campaign holds alike, copied per line (a county's campaign has 45,000 lines)
        line: dict[str, Any] = {
            "campaign_id": campaign_id, "household_id": None, "person_ids": "", "reason": "",
            "amount_fen": standard, "goods": "", "included": True, "by_hand": False,
            "removed_reason": "", "outcome": "", "visited_on": None,
            "given_fen": None, "given_goods": "", "visitor": "", "signed": False, "created_at": created_at,
        }
        for proposal, fit in zip(proposals, fits, strict=True):
            row = line.copy()
            row["household_id"] = proposal.household_id
            row["person_ids"] = ",".join(map(str, proposal.person_ids))
            row["reason"] = proposal.reason_text
            if not fit:
                row["included"], row["removed_reason"] = False, OVER_BUDGET
            if fit and not coming:
                when = min(day - dt.timedelta(days=rng.randint(3, 15)), town.end)
                found = rng.random() >= NOT_FOUND_SHARE
                row.update(outcome=LineOutcome.VISITED if found else LineOutcome.NOT_FOUND, visited_on=when,
                           visitor=rng.choice(VISITORS), given_fen=standard if found else None, signed=found)
                visited += found
            rows.append(row)
        insert_rows(town.session, VisitLine.__table__, rows)
        if coming:
            planned = f"{campaign.name}名单已拟好{sum(fits)}户"
        else:
            done.append(visited)
    if done:
        town.counts.extras.append(f"春节慰问{len(done)}次、每次{min(done)}-{max(done)}户")
    if planned:
        town.counts.extras.append(planned)
