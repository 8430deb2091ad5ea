"""残联工作台: the core of the program. Never imports PySide6 or ui (tests/test_core_without_qt.py)."""

__version__ = "0.1.0"
