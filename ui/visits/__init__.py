"""The 节日慰问 tab. make_tab(road) builds it over the window's road to the data (ui.road); the main window
needs of it a QWidget with an open_person Signal(int). It refreshes itself when road.changed says the
visits or the register changed."""

from __future__ import annotations

from ui.road import Road
from ui.visits.tab import VisitsTab


def make_tab(road: Road) -> VisitsTab:
    return VisitsTab(road)
