"""The main window: the four tabs, the menus, the status bar with the database file and the counts.
Size, position and the register's column widths are remembered (ui.style.settings); the window opens within
the screen's free area (ui.screen), clamped back onto it if the screen has become smaller.

It reaches the data only through its road (ui.road.Road): the counts are a read, refreshed when the road
says the register or the settings changed; backups, the restore, the USB export and printing are work the
road runs off the GUI thread; 单位信息's 经办人 is the clerk every write is audited as.

The register is a file on this PC or the county's server (文件 → 连接单位数据库…, or --db postgresql://…): on a
server there is no file, so what works on one (the automatic backups beside it, 从备份恢复, 自动备份列表) is
disabled there with a tooltip saying why, and 备份 writes a pg_dump of the server's database instead."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRect, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox, QTabWidget, QWidget

from app.domain.words import PersonStatus
from app.paths import default_db_path
from app.services.actions import Changes
from app.services.settings import read_unit_info
from app.services.summary.current import persons_by_status
from ui import screen, style
from ui.register.tab import RegisterTab
from ui.road import Road

if TYPE_CHECKING:
    from ui.devices.tab import DevicesTab
    from ui.subsidies.tab import SubsidyTab
    from ui.tasks import Task
    from ui.visits.tab import VisitsTab

APP_TITLE = "残联工作台"
VERSION = "0.1.0"
SERVER_RESTORE = "单位数据库在服务器上：从备份恢复请由服务器管理员处理。"
SERVER_AUTOMATIC = "单位数据库在服务器上，本机没有它的自动备份：服务器上的数据由管理员每晚备份。"
SERVER_BACKUP = "把服务器上的单位数据库备份到您选择的文件夹（如U盘；需要时由服务器管理员恢复）"
LATER_TABS = {"subsidy_tab": "补贴资格", "visit_tab": "节日慰问", "devices_tab": "康复器材"}


class _NotYetBuilt(QWidget):
    """Stands in a tab's place until the tab is first shown (MainWindow._tab builds it then)."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key


class MainWindow(QMainWindow):
    """The clerk's window over one open database."""

    def __init__(self, road: Road, parent: QWidget | None = None, *, remember: bool = True,
                 backups: bool | None = None, home_file: Path | None = None) -> None:
        super().__init__(parent)
        self.road = road  # the screens' one way to the data
        # the file on this PC that 连接单位数据库 goes back to: the one opened, else the usual one
        self.home_file = home_file or (default_db_path() if road.on_server else road.path)
        self.remember = remember  # False for screenshots: the clerk's saved layout is left alone
        self.backups = remember if backups is None else backups  # automatic backups (not for screenshots)
        self.setWindowTitle(APP_TITLE)
        self.setObjectName("main_window")
        self.register_tab = RegisterTab(self.road)  # each tab follows road.changed itself
        self.register_tab.told.connect(self.tell)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self.tabs.addTab(self.register_tab, "残疾人登记")
        # The other three tabs are built (and their modules imported) when first shown or asked for: the
        # window with the register's first page comes up sooner, and a tab built later reads the data then.
        self._built: dict[str, QWidget] = {}
        for key, title in LATER_TABS.items():
            self.tabs.addTab(_NotYetBuilt(key), title)
        self.tabs.currentChanged.connect(self._build_shown_tab)
        self.county_tab: QWidget | None = None  # 县级汇总, in county mode only
        self.show_county_tab()
        self.setCentralWidget(self.tabs)
        self.db_label = QLabel()
        self.counts_label = QLabel()
        self.counts_label.setObjectName("counts")
        self.statusBar().addWidget(self.db_label, 1)
        self.statusBar().addPermanentWidget(self.counts_label)
        self.backup_label = QLabel()
        self.backup_label.setObjectName("last_backup")
        self.statusBar().addPermanentWidget(self.backup_label)
        self.daily_backup = QTimer(self)
        self.daily_backup.setInterval(60 * 60 * 1000)  # looks every hour; backs up when the last is a day old
        self.daily_backup.timeout.connect(self.auto_backup_if_due)
        if self.backups:
            self.daily_backup.start()
        self._build_menus()
        self._tab_keys()
        road.changed.connect(self.on_data_changed)
        self.update_status()
        self._placed = False
        self._restore_layout()

    # --- the tabs built when first shown ------------------------------------------------------
    @property
    def subsidy_tab(self) -> SubsidyTab:
        return self._tab("subsidy_tab")  # type: ignore[return-value]

    @property
    def visit_tab(self) -> VisitsTab:
        return self._tab("visit_tab")  # type: ignore[return-value]

    @property
    def devices_tab(self) -> DevicesTab:
        return self._tab("devices_tab")  # type: ignore[return-value]

    def _tab(self, key: str) -> QWidget:
        """The tab, built now in place of its stand-in if it has not been yet."""
        built = self._built.get(key)
        if built is not None:
            return built
        if key == "subsidy_tab":
            from ui import subsidies

            built = subsidies.make_tab(self.road)
        elif key == "visit_tab":
            from ui import visits

            built = visits.make_tab(self.road)
        else:
            from ui import devices

            built = devices.make_tab(self.road)
        self._built[key] = built
        built.open_person.connect(self.register_tab.open_person)  # type: ignore[attr-defined]
        index = next(i for i in range(self.tabs.count())
                     if isinstance(self.tabs.widget(i), _NotYetBuilt) and self.tabs.widget(i).key == key)
        stand_in, current = self.tabs.widget(index), self.tabs.currentIndex()
        blocked = self.tabs.blockSignals(True)  # the same tab stays current: nothing for others to follow
        try:
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, built, LATER_TABS[key])
            self.tabs.setCurrentIndex(current)
        finally:
            self.tabs.blockSignals(blocked)
        stand_in.deleteLater()
        return built

    def _build_shown_tab(self, index: int) -> None:
        shown = self.tabs.widget(index)
        if isinstance(shown, _NotYetBuilt):
            self._tab(shown.key)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """F1, come up unused from the widget with the focus: the manual at the section of that tab."""
        from ui.manual import f1_pressed

        if not f1_pressed(self, event):
            super().keyPressEvent(event)

    # --- menus ---------------------------------------------------------------------------------
    def _action(self, text: str, slot: object, shortcut: QKeySequence | str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("文件(&F)")
        self.import_action = self._action("导入花名册(&I)…", self.import_roster, "Ctrl+I")
        self.export_action = self._action("导出当前列表到Excel(&E)…", self.export_list, "Ctrl+E")
        self.print_action = self._action("打印花名册(&P)…", self.print_register, "Ctrl+P")
        self.backup_action = self._action("备份(&B)…", self.backup)
        self.restore_action = self._action("从备份恢复(&R)…", self.restore)
        self.backups_action = self._action("自动备份列表/从自动备份恢复(&L)…", self.show_backups)
        self.connect_action = self._action("连接单位数据库(&D)…", self.connect_server)
        self.export_usb_action = self._action("导出到U盘(&U)…", self.export_usb)
        self.verify_usb_action = self._action("校验U盘导出(&V)…", self.verify_usb)
        self.report_package_action = self._action("生成上报包(&K)…", self.write_report_package)
        self.policy_package_action = self._action("导入政策更新包(&Z)…", self.import_policy_package)
        self.quit_action = self._action("退出(&X)", self.close, "Ctrl+Q")
        self.new_action = self._action("新增登记(&N)", self.new_person, "Ctrl+N")
        self.find_action = self._action("查找(&F)", self.focus_search, "Ctrl+F")
        for action in (self.new_action, self.find_action, None, self.import_action, self.export_action,
                       self.print_action, None, self.export_usb_action, self.verify_usb_action,
                       self.report_package_action, self.policy_package_action, None,
                       self.backup_action, self.restore_action, self.backups_action, None,
                       self.connect_action, None, self.quit_action):
            if action is None:
                file_menu.addSeparator()
            else:
                file_menu.addAction(action)
        file_menu.setToolTipsVisible(True)  # why an item is disabled on a server

        toolbar = self.addToolBar("常用")
        toolbar.setObjectName("toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.new_action, self.import_action, self.print_action, self.export_action,
                       self.backup_action):
            action.setIconText(re.sub(r"\(&\w\)|…", "", action.text()))  # the toolbar shows plain words
            toolbar.addAction(action)

        settings_menu = bar.addMenu("设置(&S)")
        self.unit_action = self._action("单位信息(&U)…", self.edit_unit_info)
        self.large_text_action = self._action("大字体(&L)", self.toggle_large_text, "Ctrl+L")
        self.large_text_action.setCheckable(True)
        self.large_text_action.setChecked(style.large_text_enabled())
        self.county_mode_action = self._action("县级汇总模式(&C)", self.toggle_county_mode)
        self.county_mode_action.setCheckable(True)
        self.county_mode_action.setChecked(self.county_tab is not None)
        settings_menu.addAction(self.unit_action)
        settings_menu.addAction(self.large_text_action)
        settings_menu.addAction(self.county_mode_action)

        help_menu = bar.addMenu("帮助(&H)")
        self.manual_action = self._action("使用说明(&M)\tF1", self.show_manual)  # F1 itself: keyPressEvent
        help_menu.addAction(self.manual_action)
        help_menu.addAction(self._action("关于(&A)", self.about))
        help_menu.addAction(self._action("数据文件位置(&D)", self.show_data_location))

    def _tab_keys(self) -> None:
        """Ctrl+1…4 go to a tab; Ctrl+Tab / Ctrl+PgDn to the next and Ctrl+Shift+Tab / Ctrl+PgUp back, as in
        every tabbed program, from wherever the focus is in the window."""
        for index in range(5):  # the fifth, 县级汇总, only while it is shown
            QShortcut(QKeySequence(f"Ctrl+{index + 1}"), self,
                      activated=lambda i=index: self.show_tab(i) if i < self.tabs.count() else None)
        for keys, step in ((QKeySequence.StandardKey.NextChild, 1), (QKeySequence("Ctrl+PgDown"), 1),
                           (QKeySequence.StandardKey.PreviousChild, -1), (QKeySequence("Ctrl+PgUp"), -1)):
            QShortcut(keys, self, activated=lambda s=step: self.show_tab(self.tabs.currentIndex() + s))

    def show_tab(self, index: int) -> None:
        """Show tab index (counted round) and put the focus in it, so the next key works on that tab."""
        self.tabs.setCurrentIndex(index % self.tabs.count())
        page = self.tabs.currentWidget()
        focus = page.focusWidget()  # where the focus was when the clerk last left this tab
        if focus is None:
            focus = page.nextInFocusChain()
            while page.isAncestorOf(focus) and not (focus.focusPolicy() & Qt.FocusPolicy.TabFocus
                                                     and focus.isVisible() and focus.isEnabled()):
                focus = focus.nextInFocusChain()
        (focus if page.isAncestorOf(focus) else page).setFocus(Qt.FocusReason.ShortcutFocusReason)

    # --- status bar ----------------------------------------------------------------------------
    def status_counts(self) -> dict[PersonStatus, int]:
        return self.road.read(persons_by_status)

    def update_status(self) -> None:
        """Counts in the status bar, the office's name in the title, its 经办人 as the clerk of the audit."""
        unit = self.road.read(read_unit_info)
        self.road.set_clerk(unit.clerk)
        self.setWindowTitle(f"{APP_TITLE} - {unit.unit_name}" if unit.unit_name else APP_TITLE)
        counts = self.status_counts()
        self.db_label.setText(self.road.where_said)
        self.follow_store()
        self.counts_label.setText(
            "　".join(f"{status} {counts[status]} 人" for status in PersonStatus)
        )
        self.update_backup_label()

    def tell(self, line: str) -> None:
        """What an action did and where its record now is, in the status bar until the next one."""
        self.statusBar().showMessage(line)

    def follow_store(self) -> None:
        """What works only on a file is disabled on a server, with a tooltip saying why (and enabled again
        when the window is back on a file)."""
        on_server = self.road.on_server
        for action, why in ((self.restore_action, SERVER_RESTORE), (self.backups_action, SERVER_AUTOMATIC)):
            action.setEnabled(not on_server)
            action.setToolTip(why if on_server else action.text().replace("&", "").replace("…", ""))
        self.backup_action.setToolTip(SERVER_BACKUP if on_server else "备份数据文件（如到U盘）")
        self.backup_label.setVisible(not on_server)

    def update_backup_label(self) -> None:
        from app.services.backup.automatic import last_backup_time

        if self.road.on_server:  # no automatic backups beside a file: the server's are its administrator's
            self.backup_label.clear()
            return
        last = last_backup_time(self.road.path, self.road.identity)
        self.backup_label.setText(f"上次备份：{last:%Y-%m-%d %H:%M}" if last else "上次备份：还没有")

    def on_data_changed(self, changes: Changes) -> None:
        """The road says what changed: the counts follow the register, the title and the clerk 单位信息."""
        if changes & (Changes.REGISTER | Changes.SETTINGS):
            self.update_status()
        if changes & Changes.SETTINGS:
            self.show_county_tab()

    # --- actions -------------------------------------------------------------------------------
    def new_person(self) -> None:
        self.tabs.setCurrentWidget(self.register_tab)
        self.register_tab.new_person()

    def focus_search(self) -> None:
        self.tabs.setCurrentWidget(self.register_tab)
        self.register_tab.focus_search()

    def import_roster(self) -> None:
        from app.services.register.statistics import keep_register_statistics
        from ui.register.import_wizard import ImportWizard

        wizard = ImportWizard(self.road, self)
        wizard.exec()
        self.road.run(self, "导入花名册", keep_register_statistics,
                      on_done=lambda _ran: self.road.notify(Changes.REGISTER))

    def export_list(self) -> None:
        from ui.printing import export_list

        export_list(self, self.road, self.register_tab.shown_ids())

    def print_register(self) -> None:
        from ui.printing import print_register

        ids: list[int] | None = None
        if self.register_tab.is_filtered():
            shown = self.register_tab.shown_ids()
            choice = self.ask_print_scope(len(shown))
            if choice == "cancel":
                return
            ids = shown if choice == "shown" else None
        print_register(self, self.road, ids)

    def ask_print_scope(self, shown: int) -> str:
        """The list is filtered: print what is shown ("shown"), everyone on the register ("all") or "cancel"."""
        box = QMessageBox(QMessageBox.Icon.Question, "打印花名册", "列表中只显示了部分人员。要打印哪些人？",
                          parent=self)
        current = box.addButton(f"当前列表（{shown}人）", QMessageBox.ButtonRole.AcceptRole)
        everyone = box.addButton("全部在册人员", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        clicked = box.clickedButton()
        return "shown" if clicked is current else "all" if clicked is everyone else "cancel"

    def backup(self) -> None:
        from ui.dialogs.backup import backup_now

        backup_now(self, self.road)

    def restore(self) -> None:
        """恢复…: the road closes the database for the restore, opens it again and every tab reads it anew."""
        from ui.dialogs.backup import restore_backup

        restore_backup(self, self.road)

    def show_backups(self) -> None:
        """自动备份列表: restoring from it goes through the road as 恢复… does."""
        from ui.dialogs.backups_list import BackupsDialog

        BackupsDialog(self.road, self).exec()

    def export_usb(self) -> None:
        from ui.dialogs.export_usb import export_to_usb

        export_to_usb(self, self.road)

    def verify_usb(self) -> None:
        from ui.dialogs.export_usb import verify_export

        verify_export(self)

    def auto_backup_if_due(self) -> Task[Any] | None:
        """While running: a backup in the background when the last one is a day old."""
        from app.services.backup.automatic import backup_if_due
        from ui.tasks import running_tasks

        if running_tasks() or self.road.on_server:  # busy: look again in an hour; a server: no file to copy
            return None
        return self.road.run(self, "自动备份", backup_if_due, on_done=lambda _r: self.update_backup_label())

    def backup_on_close(self) -> None:
        """On closing: a verified backup if anything changed since the last one, under its progress box.
        A failure is said, and the window still closes: the data itself is untouched."""
        from app.services.backup.automatic import backup_at_close
        from ui.tasks import wait_for_tasks

        self.statusBar().showMessage("正在自动备份……")
        self.road.run(self, "自动备份", backup_at_close, on_done=lambda _r: None)
        wait_for_tasks(timeout_ms=10 * 60 * 1000)

    def connect_server(self) -> None:
        """连接单位数据库…: the window goes over to the county's server or back to the file on this PC; every
        screen reads the new store (Road.replace_store), and the status bar says where it is now."""
        from ui.dialogs.connect_server import ConnectDialog

        ConnectDialog(self.road, self.home_file, self).exec()

    def show_county_tab(self) -> None:
        """The 县级汇总 tab while the register is the county's (county mode), none otherwise."""
        from app.services.county.towns import read_county_mode

        county = self.road.read(read_county_mode)
        if county and self.county_tab is None:
            from ui.county import CountyTab

            self.county_tab = CountyTab(self.road)
            self.tabs.addTab(self.county_tab, "县级汇总")
        elif not county and self.county_tab is not None:
            self.tabs.removeTab(self.tabs.indexOf(self.county_tab))
            self.county_tab.deleteLater()
            self.county_tab = None
        if hasattr(self, "county_mode_action"):
            self.county_mode_action.setChecked(county)

    def toggle_county_mode(self, on: bool) -> None:
        """设置 → 县级汇总模式: on only for a register without a town's own persons (refused otherwise)."""
        from app.services.county.towns import change_county_mode

        self.road.attempt(self, "县级汇总模式", change_county_mode, on)
        self.show_county_tab()

    def write_report_package(self) -> None:
        from ui.dialogs.report_package import write_report_package

        write_report_package(self, self.road)

    def import_policy_package(self) -> None:
        from ui.dialogs.policy_package import import_policy_package

        import_policy_package(self, self.road)

    def edit_unit_info(self) -> None:
        from ui.dialogs.unit_info import UnitInfoDialog

        UnitInfoDialog(self.road, self).exec()  # a save tells the road (Changes.SETTINGS): the title follows

    def toggle_large_text(self, on: bool) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            style.set_large_text(app, on)

    def show_manual(self) -> None:
        from ui.manual import open_manual

        open_manual(self)

    def about(self) -> None:
        QMessageBox.about(self, "关于残联工作台",
                          f"残联工作台 {VERSION}\n\n乡镇残联的残疾人登记、两项补贴、节日慰问和康复器材管理。\n"
                          + ("数据保存在单位的服务器上，几位经办人共用。" if self.road.on_server else
                             "不需要联网，数据只保存在本机的数据文件中。"))

    def show_data_location(self) -> None:
        if self.road.on_server:
            QMessageBox.information(self, "数据文件位置", f"全部数据保存在{self.road.where_said}。\n\n"
                                    "服务器上的数据由管理员定期备份；需要时可用“文件 → 备份”另存一份到U盘。")
            return
        box = QMessageBox(QMessageBox.Icon.Information, "数据文件位置",
                          f"全部数据保存在这个文件中：\n{self.road.path}\n\n请定期用“文件 → 备份”复制到U盘。",
                          parent=self)
        open_button = box.addButton("打开所在文件夹", QMessageBox.ButtonRole.ActionRole)
        box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is open_button:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(self.road.path).parent)))

    # --- first start ---------------------------------------------------------------------------
    def register_is_empty(self) -> bool:
        return not any(self.status_counts().values())

    def offer_first_start(self) -> None:
        """An empty register: ask for the unit information every printout needs, then offer to import a
        roster, load the demo town, or start empty."""
        from ui.welcome import WelcomeDialog

        if not self.register_is_empty():
            return
        dialog = WelcomeDialog(self.road, self)
        dialog.exec()
        if dialog.choice == "import":
            self.import_roster()
        elif dialog.choice == "demo":
            self.load_demo()

    def load_demo(self) -> Task[Any]:
        """Fill the empty register with the demo town in the background; the Task is returned for tests."""
        from app.demo import load_demo

        return self.road.run(self, "载入演示乡镇", load_demo,
                             on_done=lambda counts: self.statusBar().showMessage(counts.line(), 15000))

    # --- remembered layout ---------------------------------------------------------------------
    def _restore_layout(self) -> None:
        """The remembered place and size (none for screenshots), kept inside the screen's free area."""
        settings = style.settings()
        place = settings.value("window/place") if self.remember else None
        maximized = self.remember and settings.value("window/maximized", False, type=bool)
        screen.place_window(self, place if isinstance(place, QRect) else None, maximized)
        if self.remember:
            self.register_tab.restore_state()

    def save_layout(self) -> None:
        """The place and size the window has when not maximized, and whether it is."""
        settings = style.settings()
        settings.setValue("window/place", self.normalGeometry())
        settings.setValue("window/maximized", self.isMaximized())
        self.register_tab.save_state()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._placed:  # the real frame is known now: the window is kept inside the free area by it
            self._placed = True
            screen.keep_inside(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        from ui.tasks import running_tasks

        if running_tasks():
            QMessageBox.information(self, APP_TITLE, "还有工作在进行（见进度窗口），请等它完成后再退出。")
            event.ignore()
            return
        if self.remember:
            self.save_layout()
        if self.backups and not self.road.on_server:  # a server's database is backed up by its administrator
            self.backup_on_close()
        event.accept()
