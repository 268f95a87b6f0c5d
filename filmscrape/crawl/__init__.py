"""Crawl machinery around the ``articles`` spider: discovery, crawl state, faults, politeness, outcomes."""
