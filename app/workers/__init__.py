"""Qt glue without widgets: the one background-job pattern, page loading, the settings store."""
