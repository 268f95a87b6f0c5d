"""Test support for crawl tests: a fault-injecting loopback HTTP server, a generated film site, a crawl runner."""
