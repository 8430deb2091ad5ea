"""The 残疾人登记 tab: the register list, the person form, status changes, households and history."""
