"""县级汇总: the county's register of its towns and their 上报包 (issue 17)."""
