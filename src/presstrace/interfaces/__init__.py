"""What the interfaces (the REST API, the web pages, the CLI, the report) share without
importing each other: they all format what `store.queries` and `presstrace.library` answer,
and take their parameters from here."""
