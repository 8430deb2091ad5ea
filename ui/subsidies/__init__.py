"""The 补贴资格 tab. make_tab(road) builds it; main_window needs of it: a QWidget with an open_person
Signal(int). It follows the data itself through road.changed (the subsidies, and the register)."""

from __future__ import annotations

from ui.road import Road
from ui.subsidies.tab import SubsidyTab


def make_tab(road: Road) -> SubsidyTab:
    return SubsidyTab(road)
