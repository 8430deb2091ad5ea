"""The log file keeps ID numbers out: an unexpected error's message and traceback may quote a cell or a
value, and a log is read by whoever repairs the PC. Every line is written with the numbers masked."""

from __future__ import annotations

import logging
import re

from app.domain.idnumber import mask

# 15 and 18 digits (the last may be X) and the 20 of a certificate number; bank accounts are caught too
_LONG_NUMBER = re.compile(r"(?<![0-9])[0-9]{14,}[0-9Xx]?[0-9]*(?![0-9])")


def mask_numbers(text: str) -> str:
    """Every run of 15 or more digits shown as 6209**********1234."""
    return _LONG_NUMBER.sub(lambda m: mask(m.group(0)), text)


class PrivateFormatter(logging.Formatter):
    """A formatter whose lines, traceback included, carry no whole ID number."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_numbers(super().format(record))
