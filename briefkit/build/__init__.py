"""A build: plan, keys and cache, the session, the schedule over processes, the run and its report,
watch, check and explain; source texts, reference tables, and new content sets."""
