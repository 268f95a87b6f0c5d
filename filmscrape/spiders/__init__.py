"""filmscrape's spiders: they fetch pages and hand them to the extractor, nothing more."""
