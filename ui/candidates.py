"""The 补贴资格, 节日慰问 and 康复器材 tabs as they are until their own work lands: honest first screenings
of the register (who by DOMAIN.md may qualify), read-only, each group with its count. Double-click or
Enter opens the person's 登记表.

Each group is one register filter (app.services.search; a union through any_of), listed like the register.
Local extensions of the rules (e.g. Gansu's nursing subsidy for 三级/四级 智力、精神) are policy data, not
screened here.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget
from app.db.engine import Database
from app.domain.disability import Category
from app.services import search
from app.services.search import PersonFilter
from ui import style
from ui.register.model import PersonTableModel
from ui.register.tab import PersonTable

ON = "在册"


@dataclass(frozen=True)
class Group:
    label: str
    filter: PersonFilter


def _either(*filters: PersonFilter) -> PersonFilter:
    """On the register and matching any of these."""
    return PersonFilter(status=ON, any_of=filters)


_SEVERE = (PersonFilter(grade=1), PersonFilter(grade=2))
NURSING = Group("护理补贴：一级、二级（重度）", PersonFilter(status=ON, tekun=False, any_of=_SEVERE))
LIVING = Group("生活补贴：低保户成员", PersonFilter(status=ON, dibao=True, tekun=False))
SUBSIDY_GROUPS = [
    Group("两项中任一项", PersonFilter(status=ON, tekun=False, any_of=(*_SEVERE, PersonFilter(dibao=True)))),
    NURSING, LIVING,
]

VISIT_GROUPS = [
    Group("全部慰问对象", _either(PersonFilter(hard_up=True), PersonFilter(self_care="不能自理"))),
    Group("低保、特困、低收入户成员", PersonFilter(status=ON, hard_up=True)),
    Group("生活不能自理", PersonFilter(status=ON, self_care="不能自理")),
]

_PHYSICAL = int(Category.PHYSICAL)
AID_GROUPS = [
    Group("肢体一级、二级：轮椅、坐便椅等",
          PersonFilter(status=ON, category=_PHYSICAL, any_of=(PersonFilter(grade=1), PersonFilter(grade=2)))),
    Group("肢体三级、四级：拐杖、助行器、手杖等",
          PersonFilter(status=ON, category=_PHYSICAL, any_of=(PersonFilter(grade=3), PersonFilter(grade=4)))),
    Group("视力：助视器、盲杖", PersonFilter(status=ON, category=int(Category.VISION))),
    Group("听力：助听器", PersonFilter(status=ON, category=int(Category.HEARING))),
]


class CandidatesPage(QWidget):
    """A titled, read-only list of who may qualify, with a count per group."""

    open_person = Signal(int)

    def __init__(self, db: Database, title: str, explanation: str, groups: list[Group],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.groups = groups
        heading = QLabel(f"<big><b>{title}</b></big>")  # relative size: follows 大字体
        heading.setObjectName("heading")
        text = QLabel(explanation)
        text.setWordWrap(True)
        text.setStyleSheet(style.hint_style())
        self.counts_label = QLabel()
        self.counts_label.setObjectName("counts")
        self.counts_label.setWordWrap(True)
        self.group_box = QComboBox()
        self.group_box.setObjectName("group")
        self.group_box.currentIndexChanged.connect(lambda _i: self._show_group())
        self.model = PersonTableModel(db, self)
        self.table = PersonTable()
        self.table.setModel(self.model)
        self.table.fit_to_font()
        self.table.doubleClicked.connect(lambda index: self._open(index.row()))
        self.table.open_requested.connect(self._open)
        self.shown_label = QLabel()
        pick = QHBoxLayout()
        pick.addWidget(QLabel("显示："))
        pick.addWidget(self.group_box)
        pick.addWidget(self.shown_label)
        pick.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(text)
        layout.addWidget(self.counts_label)
        layout.addLayout(pick)
        layout.addWidget(self.table, 1)
        self._stale = True  # read when first shown: the window opens without waiting for these pages

    def mark_stale(self) -> None:
        """The register changed: read again now if shown, else when next shown."""
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def counts(self) -> list[int]:
        with self.db.session() as session:
            return [search.count(session, g.filter) for g in self.groups]

    def refresh(self) -> None:
        self._stale = False
        counts = self.counts()
        current = max(self.group_box.currentIndex(), 0)
        self.group_box.blockSignals(True)
        self.group_box.clear()
        for group, n in zip(self.groups, counts, strict=True):
            self.group_box.addItem(f"{group.label}（{n}人）")
        self.group_box.setCurrentIndex(current)
        self.group_box.blockSignals(False)
        self.counts_label.setText("；".join(f"{g.label} {n} 人" for g, n in zip(self.groups, counts, strict=True)))
        self._show_group()

    def _show_group(self) -> None:
        group = self.groups[max(self.group_box.currentIndex(), 0)]
        self.model.set_filter(group.filter)
        self.shown_label.setText(f"共 {self.model.total()} 人")

    def set_database(self, db: Database) -> None:
        self.db = db
        self.model.set_database(db)
        self.mark_stale()

    def _open(self, row: int) -> None:
        person_id = self.model.person_id(row)
        if person_id is not None:
            self.open_person.emit(person_id)


def subsidy_page(db: Database) -> CandidatesPage:
    return CandidatesPage(
        db, "可能符合两项补贴的人员（初步筛选）",
        "按登记册初步筛选，仅供核对：重度残疾人护理补贴看一级、二级；困难残疾人生活补贴看是否低保户。"
        "已排除特困供养户；领取工伤保险生活护理费、孤儿基本生活费等情况登记册中没有，请审核时核对。"
        "本地扩大的范围（如三级、四级智力、精神残疾）以当地政策为准。申请、审核和每月发放名单在补贴功能中办理。",
        SUBSIDY_GROUPS,
    )


def visit_page(db: Database) -> CandidatesPage:
    return CandidatesPage(
        db, "节日慰问的可能对象（初步筛选）",
        "按登记册筛选出在册的低保、特困、低收入户成员和生活不能自理的人员。慰问通常按户发放，"
        "同一户的几个人只需登记一次；慰问名单、金额和签字花名册在慰问功能中办理。",
        VISIT_GROUPS,
    )


def aids_page(db: Database) -> CandidatesPage:
    return CandidatesPage(
        db, "可能需要辅助器具的人员（按类别）",
        "按残疾类别和等级列出在册人员，供上门评估、申领辅助器具时参考；是否需要、需要哪种，以评估为准。"
        "器具目录、库存和发放登记在康复器材功能中办理。",
        AID_GROUPS,
    )
