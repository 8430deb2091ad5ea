"""县级汇总: the county's tab, shown only in county mode (the towns, 导入上报包, 待核实)."""

from ui.county.tab import CountyTab

__all__ = ["CountyTab"]
