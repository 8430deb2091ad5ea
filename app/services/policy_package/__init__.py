"""政策更新包: the county's subsidy standards and aids catalogue, signed, back to the towns (issue 17)."""
