"""节日慰问: campaigns (campaigns), the festival visit criteria and the proposal drawn from them (criteria),
a campaign's list of lines (lines), recording what was given (recording), and looking back (history).

The clerk's actions and the tab's reads are named here, each one transaction or one session
(app.services.actions): ``visits.campaign_page(db, campaign_id)``, ``visits.record_lines(db, line_ids, …)``,
``visits.remove_lines(db, line_ids, reason)`` …; the writes are in edits, the reads in page, the printed
rosters in printing.
"""

from app.services.visits.edits import (
    add_household,
    change_campaign,
    draw_list,
    new_campaign,
    record_all,
    record_lines,
    remove_departed,
    remove_lines,
)
from app.services.visits.page import (
    CampaignChoice,
    CampaignPage,
    CampaignView,
    PersonChoice,
    campaign_page,
    campaign_view,
    comparison,
    find_persons,
)
from app.services.visits.printing import write_roster, write_village_rosters

__all__ = [
    "CampaignChoice", "CampaignPage", "CampaignView", "PersonChoice", "add_household", "campaign_page",
    "campaign_view", "change_campaign", "comparison", "draw_list", "find_persons", "new_campaign", "record_all",
    "record_lines", "remove_departed", "remove_lines", "write_roster", "write_village_rosters",
]
