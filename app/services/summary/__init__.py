"""年度统计: the yearly (or five-yearly) figures (figures), the subsidies' and relief ledger's part of them
(subsidies_and_relief), and which kinds of record a period holds (records)."""
