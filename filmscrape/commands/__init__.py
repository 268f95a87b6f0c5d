"""The CLI's subcommands, one module each; every module exposes ``register(subparsers)``."""
