"""One module per `kg` subcommand: `add_arguments(parser)` and `run(args) -> exit code`."""
