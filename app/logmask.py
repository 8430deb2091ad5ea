"""ID numbers never reach the log file: a filter on the log's handler masks, in every record (message,
arguments, traceback), any 15- or 18-character ID number and the 20-character certificate number that
holds one, whoever wrote the record (our code, SQLAlchemy's parameters, an exception's text)."""

from __future__ import annotations

import logging
import re

from app.domain.idnumber import mask

# A run of 15 to 20 digits, or 17 digits and the check character X, with no digit next to it: an ID
# (15 or 18), a certificate number (20) or something as long (a bank account: masked too, no harm in a log).
_ID_LIKE = re.compile(r"(?<![0-9])(?:[0-9]{17}[Xx](?![0-9A-Za-z])|[0-9]{15,20}(?![0-9]))")


def mask_ids(text: str) -> str:
    return _ID_LIKE.sub(lambda m: mask(m.group(0)), text)


class MaskIdNumbers(logging.Filter):
    """Rewrites the record in place: the handler's formatter then only ever sees masked text."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # arguments that do not fit the message: keep both, masked
            message = f"{record.msg} {record.args}"
        record.msg, record.args = mask_ids(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_ids(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_ids(record.stack_info)
        return True
