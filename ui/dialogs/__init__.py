"""Dialogs the main window opens from its menus: 单位信息, 备份 and 恢复."""
