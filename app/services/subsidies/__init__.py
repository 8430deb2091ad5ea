"""补贴资格: the two subsidies — the facts their rules read (facts), policies as data (policies),
applications and their steps (applications), the monthly review (review), payments and the monthly roster
(payments), overpayments to recover (overpayments, overpayment_ledger) — and the relief ledger of one-off
help shown in the same tab (relief_ledger)."""
