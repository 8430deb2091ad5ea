"""The 康复器材 tab. make_tab(road) builds it; main_window needs of it: a QWidget with an open_person
Signal(int). It follows the data itself through road.changed (devices, and the register)."""

from __future__ import annotations

from ui.devices.tab import DevicesTab
from ui.road import Road


def make_tab(road: Road) -> DevicesTab:
    return DevicesTab(road)
