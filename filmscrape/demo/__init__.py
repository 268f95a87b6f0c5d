"""The bundled demo: a small film site (package data), the server for it, and the demo crawl's summary."""
