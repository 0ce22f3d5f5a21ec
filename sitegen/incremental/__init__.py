"""The incremental build: what a build keeps for the next one, and the rule that a reused result is the same as a fresh one."""
