"""残疾人登记: the register of persons (people), their status changes (status_changes), households
(households), villages and groups (villages), and finding persons (search)."""
