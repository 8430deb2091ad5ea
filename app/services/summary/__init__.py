"""年度统计: the yearly (or five-yearly) figures (figures), the subsidies' and relief ledger's part of them
(subsidies_and_relief), which kinds of record a period holds (records), what the records behind the
work-report sentences show (work_report), and the register as it stands now (current: the status bar)."""
