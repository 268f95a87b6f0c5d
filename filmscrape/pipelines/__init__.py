"""Item pipelines: validate, dedupe, write. They never fetch and never extract."""
