"""The town's signed 上报包 for the county (issue 17)."""
